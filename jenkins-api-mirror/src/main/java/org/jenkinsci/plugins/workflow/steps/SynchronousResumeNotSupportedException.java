// Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_ (bom-2.541.x 6916.v15ec97679743;
// signatures checked against 710.v3e456cc85233), type
// org.jenkinsci.plugins.workflow.steps.SynchronousResumeNotSupportedException.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.workflow.steps;

public class SynchronousResumeNotSupportedException extends Exception {
    public SynchronousResumeNotSupportedException(StepContext context) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
