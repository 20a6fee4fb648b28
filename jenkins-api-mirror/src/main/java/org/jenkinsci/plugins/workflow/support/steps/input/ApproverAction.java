// Mirrors org.jenkins-ci.plugins:pipeline-input-step 560.v56198a_642157 (bom-2.541.x 6916.v15ec97679743), type
// org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.workflow.support.steps.input;

import hudson.model.InvisibleAction;

public class ApproverAction extends InvisibleAction {
    public ApproverAction(String userId) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getUserId() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
