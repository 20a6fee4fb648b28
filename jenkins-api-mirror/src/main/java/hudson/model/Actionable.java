// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Actionable.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

import java.util.List;

public abstract class Actionable implements ModelObject {
    public <T extends Action> List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public boolean addOrReplaceAction(Action a) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
