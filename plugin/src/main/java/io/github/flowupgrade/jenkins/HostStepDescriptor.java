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

    public FormValidation doCheckDir(@QueryParameter String value) {
        return Forms.of(StepChecks.dir(value));
    }

    public FormValidation doCheckAppUser(@QueryParameter String value) {
        return Forms.of(StepChecks.user(value));
    }

    public FormValidation doCheckTimeoutMinutes(@QueryParameter String value) {
        return Forms.of(StepChecks.timeoutMinutes(value));
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String host) {
        return CredentialForms.fillSshKey(item, credentialsId, Params.trimToNull(host));
    }

    @POST
    public FormValidation doCheckCredentialsId(
            @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String host) {
        return CredentialForms.checkSshKey(item, value, Params.trimToNull(host));
    }
}
