package io.github.flowupgrade.jenkins;

import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import java.util.List;

/**
 * Where a credential is used, as the credentials plugin's domains see it: an SSH key at {@code ssh://host:port}, a
 * GitHub token at the API URL. The credentials plugin turns the URI into scheme, host (and port) and path requirements
 * ({@code URIRequirementBuilder.fromUri}); a credential kept in a domain for other hosts or URLs then does not match.
 * The forms' drop-downs and the steps' lookups use the same URIs, so a step finds exactly what its form offered.
 */
final class CredentialDomains {
    private CredentialDomains() {}

    /** {@code ssh://host:port}, an IPv6 address in brackets; {@code ssh://host} when the port is unknown (forms). */
    static String sshUri(String host, int port) {
        String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "ssh://" + name + (port > 0 ? ":" + port : "");
    }

    /** The GitHub API the token is sent to: {@code apiUrl}, or api.github.com when none is given. */
    static String gitHubUri(String apiUrl) {
        return Params.blank(apiUrl) ? ReleaseRequest.GITHUB_API : apiUrl.trim();
    }

    static List<DomainRequirement> requirements(String uri) {
        return URIRequirementBuilder.fromUri(uri).build();
    }
}
