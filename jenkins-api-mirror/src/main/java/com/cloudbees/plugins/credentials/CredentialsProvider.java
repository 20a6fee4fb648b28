// Mirrors org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0 (bom-2.541.x 6916.v15ec97679743; signatures checked
// against 1502.v5c95e620ddfe), type com.cloudbees.plugins.credentials.CredentialsProvider.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.security.Permission;
import hudson.util.ListBoxModel;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.springframework.security.core.Authentication;

public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {
    public static final Permission USE_ITEM = null;

    // Test seam (package-private, so the plugin cannot reach it; tests set it from this package): when set, the
    // lookups answer from it, and track reports to it, instead of throwing.
    static volatile BiFunction<String, List<DomainRequirement>, Credentials> lookupSeam;

    static volatile Consumer<Credentials> trackSeam;

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        return findCredentialById(id, type, run, List.of()); // as the real one: no domain requirements
    }

    public static <C extends IdCredentials> C findCredentialById(
            String id, Class<C> type, Run<?, ?> run, List<DomainRequirement> domainRequirements) {
        BiFunction<String, List<DomainRequirement>, Credentials> seam = lookupSeam;
        if (seam == null) {
            throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
        }
        Credentials found = seam.apply(id, domainRequirements);
        return type.isInstance(found) ? type.cast(found) : null;
    }

    public static <C extends Credentials> C track(Run build, C credentials) {
        Consumer<Credentials> seam = trackSeam;
        if (seam == null) {
            throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
        }
        seam.accept(credentials);
        return credentials;
    }

    public static <C extends IdCredentials> ListBoxModel listCredentialsInItem(
            Class<C> type,
            Item item,
            Authentication authentication,
            List<DomainRequirement> domainRequirements,
            CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
