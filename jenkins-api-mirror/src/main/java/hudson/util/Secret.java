// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.util.Secret.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.util;

public final class Secret {
    private Secret() {}

    public String getPlainText() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
