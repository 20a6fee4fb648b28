// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.User.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
// The real class is a ModelObject through AbstractModelObject; the mirror names ModelObject directly.
package hudson.model;

import hudson.security.AccessControlled;
import jenkins.model.IdStrategy;

public class User implements AccessControlled, Comparable<User>, ModelObject {
    private User() {}

    public static IdStrategy idStrategy() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public int compareTo(User that) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
