// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.model.IdStrategy.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.util.Comparator;

public abstract class IdStrategy implements Describable<IdStrategy>, ExtensionPoint, Comparator<String> {
    public boolean equals(String id1, String id2) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public abstract int compare(String id1, String id2);
}
