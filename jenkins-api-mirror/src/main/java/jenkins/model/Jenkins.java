// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.model.Jenkins.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
// The real class extends AbstractCIBase and Node (a Describable and an ExtensionPoint) and is a ModelObject through
// several interfaces; the mirror names those supertypes directly.
package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.ModelObject;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import org.springframework.security.core.Authentication;

public class Jenkins implements AccessControlled, ExtensionPoint, Describable<Jenkins>, ModelObject {
    public static final Permission ADMINISTER = null;

    private Jenkins() {}

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public static Authentication getAuthentication2() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public boolean isUseSecurity() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
