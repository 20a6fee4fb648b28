// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.InvisibleAction.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public abstract class InvisibleAction implements Action {
    public final String getIconFileName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public final String getDisplayName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getUrlName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
