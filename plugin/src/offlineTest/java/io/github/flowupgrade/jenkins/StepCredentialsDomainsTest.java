package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsSeam;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.RequirementsSeam;
import hudson.AbortException;
import hudson.util.Secret;
import hudson.util.SecretSeam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.junit.jupiter.api.Test;

/**
 * The steps look their credentials up for where they will use them: the SSH key for {@code ssh://host:port}, the
 * GitHub token for the API URL. The credentials plugin (here, the mirror's test seam standing in for its store) then
 * leaves out a credential kept in a domain for other hosts or URLs. Without requirements, as
 * {@code findCredentialById(id, type, run)} looks up, every domain matches: a key scoped to one host would be used on
 * any.
 */
class StepCredentialsDomainsTest {
    private final List<String> lookedUpFor = new ArrayList<>();

    /** A credential and the URI of the domain it is kept in (null: the global domain, which matches everything). */
    record Kept(Credentials credential, String domain) {}

    /** A store with the credentials plugin's domain rule: no requirements, or the domain's own URI, match. */
    private CredentialsSeam store(Map<String, Kept> credentials) {
        return CredentialsSeam.answering((String id, List<DomainRequirement> requirements) -> {
            String uri = RequirementsSeam.uriOf(requirements);
            lookedUpFor.add(id + " for " + uri);
            Kept kept = credentials.get(id);
            if (kept == null) {
                return null;
            }
            return kept.domain() == null || uri == null || kept.domain().equals(uri) ? kept.credential() : null;
        });
    }

    @Test
    void theSshKeyIsLookedUpForTheHostAndPortItConnectsTo() throws Exception {
        try (CredentialsSeam seam = store(Map.of("mastodon-ssh", new Kept(key(), "ssh://social.example:2222")))) {
            SshLogin login = StepCredentials.sshLogin(null, "mastodon-ssh", "social.example", 2222);

            assertThat(login.username()).isEqualTo("deploy");
            assertThat(login.privateKey()).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n");
            assertThat(lookedUpFor).containsExactly("mastodon-ssh for ssh://social.example:2222");
            assertThat(seam.tracked()).hasSize(1);
        }
    }

    @Test
    void anSshKeyKeptForAnotherHostIsNotUsed() {
        try (CredentialsSeam seam = store(Map.of("mastodon-ssh", new Kept(key(), "ssh://other.example:22")))) {
            assertThatThrownBy(() -> StepCredentials.sshLogin(null, "mastodon-ssh", "social.example", 22))
                    .isInstanceOf(AbortException.class)
                    .hasMessage("No credentials with id 'mastodon-ssh' of type SSH Username with private key are"
                            + " available to this build for ssh://social.example:22.");
            assertThat(seam.tracked()).isEmpty();
        }
    }

    @Test
    void anIpv6HostIsBracketedInTheUri() throws Exception {
        try (CredentialsSeam seam = store(Map.of("mastodon-ssh", new Kept(key(), null)))) {
            StepCredentials.sshLogin(null, "mastodon-ssh", "2001:db8::1", 22);

            assertThat(lookedUpFor).containsExactly("mastodon-ssh for ssh://[2001:db8::1]:22");
        }
    }

    @Test
    void theTokenIsLookedUpForTheApiItIsSentTo() throws Exception {
        Map<String, Kept> kept = Map.of("github-token", new Kept(token("ghp_public"), "https://api.github.com"));
        try (CredentialsSeam seam = store(kept)) {
            assertThat(StepCredentials.gitHubToken(null, "github-token", null)).isEqualTo("ghp_public");

            assertThatThrownBy(() ->
                            StepCredentials.gitHubToken(null, "github-token", "https://github.example.com/api/v3"))
                    .isInstanceOf(AbortException.class)
                    .hasMessageEndingWith("for https://github.example.com/api/v3.");
            assertThat(lookedUpFor)
                    .containsExactly(
                            "github-token for https://api.github.com",
                            "github-token for https://github.example.com/api/v3");
            assertThat(StepCredentials.gitHubToken(null, null, null)).isNull();
        }
    }

    @Test
    void theFormsOfferWhatTheStepsLookUp() {
        assertThat(CredentialForms.sshUri("social.example", "2222"))
                .isEqualTo(CredentialDomains.sshUri("social.example", 2222));
        assertThat(CredentialForms.sshUri(" social.example ", "")).isEqualTo("ssh://social.example:22");
        assertThat(CredentialForms.sshUri("social.example", "ssh")).isEqualTo("ssh://social.example:22");
        assertThat(CredentialForms.sshUri("", "22")).isNull();
    }

    private static SSHUserPrivateKey key() {
        return new SSHUserPrivateKey() {
            @Override
            public Secret getPassphrase() {
                return null;
            }

            @Override
            public List<String> getPrivateKeys() {
                return List.of("-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n");
            }

            @Override
            public String getUsername() {
                return "deploy";
            }

            @Override
            public String getId() {
                return "mastodon-ssh";
            }
        };
    }

    private static StringCredentials token(String value) {
        return new StringCredentials() {
            @Override
            public Secret getSecret() {
                return SecretSeam.of(value);
            }

            @Override
            public String getId() {
                return "github-token";
            }
        };
    }
}
