// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Job.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {}
