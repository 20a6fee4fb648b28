// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.util.FormValidation.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.util;

import java.io.IOException;

public abstract class FormValidation extends IOException {
    private FormValidation() {}

    public static FormValidation error(String message) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public static FormValidation warning(String message) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public static FormValidation ok() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
