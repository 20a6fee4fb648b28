// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Job.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
// The real class extends AbstractItem (an Actionable and an Item); the mirror names those two directly.
package hudson.model;

import hudson.ExtensionPoint;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable
        implements Item, ExtensionPoint {
    private Job() {}
}
