// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.security.ACLContext.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.security;

public class ACLContext implements AutoCloseable {
    private ACLContext() {}

    public void close() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
