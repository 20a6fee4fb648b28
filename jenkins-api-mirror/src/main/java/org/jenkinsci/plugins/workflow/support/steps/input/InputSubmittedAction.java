// Mirrors org.jenkins-ci.plugins:pipeline-input-step 560.v56198a_642157 (bom-2.541.x 6916.v15ec97679743), type
// org.jenkinsci.plugins.workflow.support.steps.input.InputSubmittedAction.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.workflow.support.steps.input;

import java.util.Map;
import org.jenkinsci.plugins.workflow.actions.PersistentAction;

public class InputSubmittedAction implements PersistentAction {
    public InputSubmittedAction(String approver, Map<String, Object> parameters) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getApprover() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getIconFileName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getUrlName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
