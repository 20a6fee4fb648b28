package io.github.flowupgrade.jenkins;

import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What every flow step's descriptor shares: the steps run on the agent of a {@code node}, and the form checks of the
 * parameters that mean the same in every step that has them: the profile and the release lookup's ({@code from},
 * {@code repo}, {@code apiUrl}, {@code githubCredentialsId}). Stapler calls a check only for a field of the step's own
 * form.
 */
public abstract class FlowStepDescriptor extends StepDescriptor {
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return StepContexts.AGENT_WORK;
    }

    public FormValidation doCheckApp(@QueryParameter String value) {
        return Forms.of(StepChecks.app(value));
    }

    public FormValidation doCheckFrom(@QueryParameter String value) {
        return Forms.of(StepChecks.optionalTag(value));
    }

    public FormValidation doCheckRepo(@QueryParameter String value) {
        return Forms.of(StepChecks.repo(value));
    }

    public FormValidation doCheckApiUrl(@QueryParameter String value) {
        return Forms.of(StepChecks.apiUrl(value));
    }

    @POST
    public ListBoxModel doFillGithubCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String githubCredentialsId, @QueryParameter String apiUrl) {
        return CredentialForms.fillGitHubToken(item, githubCredentialsId, apiUrl);
    }

    @POST
    public FormValidation doCheckGithubCredentialsId(
            @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String apiUrl) {
        return CredentialForms.checkGitHubToken(item, value, apiUrl);
    }
}
