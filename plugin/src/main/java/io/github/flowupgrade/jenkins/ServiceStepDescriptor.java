package io.github.flowupgrade.jenkins;

import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.QueryParameter;

/** Form checks and drop-downs of the restart and streaming-gate parameters ({@link ServiceStep}). */
public abstract class ServiceStepDescriptor extends HostStepDescriptor {
    public FormValidation doCheckStreaming(@QueryParameter String value) {
        return Forms.of(StepChecks.streaming(value));
    }

    public ListBoxModel doFillStreamingItems() {
        return Forms.listBox(FieldChoices.STREAMING);
    }

    public FormValidation doCheckStreamingApprovalInput(@QueryParameter String value) {
        return Forms.of(StepChecks.inputId(value));
    }

    public FormValidation doCheckWebAction(@QueryParameter String value) {
        return Forms.of(StepChecks.webAction(value));
    }

    public ListBoxModel doFillWebActionItems() {
        return Forms.listBox(FieldChoices.WEB_ACTION);
    }

    public FormValidation doCheckHealthTimeout(@QueryParameter String value) {
        return Forms.of(StepChecks.seconds(value, 3600));
    }

    public FormValidation doCheckSettle(@QueryParameter String value) {
        return Forms.of(StepChecks.seconds(value, 600));
    }
}
