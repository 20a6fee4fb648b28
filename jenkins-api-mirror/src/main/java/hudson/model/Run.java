// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Run.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

import hudson.ExtensionPoint;
import hudson.security.AccessControlled;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements ExtensionPoint, Comparable<RunT>, AccessControlled {
    private Run() {}

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
