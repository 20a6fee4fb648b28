// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.util.Secret.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.util;

import java.io.Serializable;

public final class Secret implements Serializable {
    // Test seam (package-private, so the plugin cannot reach it; tests use it from this package): a Secret holding a
    // value, which getPlainText returns; the plugin gets Secrets only from credentials, as with the real API.
    private final String value;

    Secret(String value) {
        this.value = value;
    }

    public String getPlainText() {
        if (value == null) {
            throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
        }
        return value;
    }
}
