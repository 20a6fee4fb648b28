// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.model.Jenkins.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package jenkins.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

public class Jenkins implements AccessControlled {
    public static final Permission ADMINISTER = null;

    private Jenkins() {}

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
