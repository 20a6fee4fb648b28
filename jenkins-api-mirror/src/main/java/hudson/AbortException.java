// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.AbortException.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson;

import java.io.IOException;

public class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
    }
}
