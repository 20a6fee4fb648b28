// Mirrors org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0 (bom-2.541.x 6916.v15ec97679743; signatures checked
// against 1502.v5c95e620ddfe), type com.cloudbees.plugins.credentials.CredentialsMatchers.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package com.cloudbees.plugins.credentials;

public class CredentialsMatchers {
    private CredentialsMatchers() {}

    public static CredentialsMatcher always() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public static CredentialsMatcher withId(String id) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
