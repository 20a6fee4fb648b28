package io.github.flowupgrade.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** Form validation and the credentials drop-down shared by the steps that work on a host. */
public abstract class HostStepDescriptor extends FlowStepDescriptor {
    public FormValidation doCheckHost(@QueryParameter String value) {
        return Forms.of(StepChecks.host(value));
    }

    public FormValidation doCheckPort(@QueryParameter String value) {
        return Forms.of(StepChecks.port(value));
    }

    public FormValidation doCheckHostKey(@QueryParameter String value, @QueryParameter String knownHostsFile) {
        return Forms.of(StepChecks.hostKey(value, knownHostsFile));
    }

    public FormValidation doCheckAs(@QueryParameter String value) {
        return Forms.of(StepChecks.as(value));
    }

    public ListBoxModel doFillAsItems() {
        return Forms.listBox(FieldChoices.AS);
    }

    public FormValidation doCheckDir(@QueryParameter String value) {
        return Forms.of(StepChecks.dir(value));
    }

    public FormValidation doCheckAppUser(@QueryParameter String value) {
        return Forms.of(StepChecks.user(value));
    }

    public FormValidation doCheckConnectTimeout(@QueryParameter String value) {
        return Forms.of(StepChecks.seconds(value, 600));
    }

    public FormValidation doCheckCommandTimeout(@QueryParameter String value) {
        return Forms.of(StepChecks.seconds(value, 86_400));
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item,
            @QueryParameter String credentialsId,
            @QueryParameter String host,
            @QueryParameter String port) {
        return CredentialForms.fillSshKey(item, credentialsId, host, port);
    }

    @POST
    public FormValidation doCheckCredentialsId(
            @AncestorInPath Item item,
            @QueryParameter String value,
            @QueryParameter String host,
            @QueryParameter String port) {
        return CredentialForms.checkSshKey(item, value, host, port);
    }
}
