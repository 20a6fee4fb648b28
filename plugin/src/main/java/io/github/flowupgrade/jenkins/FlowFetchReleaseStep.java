package io.github.flowupgrade.jenkins;

import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code flowFetchRelease}: looks up a release on GitHub (the latest, or {@code tag}) and returns the upgrade plan for
 * the range from {@code from}, as {@code flow fetch-release --json} prints it. Touches no host.
 */
public final class FlowFetchReleaseStep extends Step {
    private String app = ReleaseRequest.DEFAULT_APP;
    private String repo;
    private String tag;
    private String from;
    private String apiUrl;
    private String githubCredentialsId;

    @DataBoundConstructor
    public FlowFetchReleaseStep() {}

    public String getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(String app) {
        String value = Params.trimToNull(app);
        this.app = value == null ? ReleaseRequest.DEFAULT_APP : value;
    }

    public String getRepo() {
        return repo;
    }

    @DataBoundSetter
    public void setRepo(String repo) {
        this.repo = Params.trimToNull(repo);
    }

    public String getTag() {
        return tag;
    }

    @DataBoundSetter
    public void setTag(String tag) {
        this.tag = Params.trimToNull(tag);
    }

    public String getFrom() {
        return from;
    }

    @DataBoundSetter
    public void setFrom(String from) {
        this.from = Params.trimToNull(from);
    }

    public String getApiUrl() {
        return apiUrl;
    }

    @DataBoundSetter
    public void setApiUrl(String apiUrl) {
        this.apiUrl = Params.trimToNull(apiUrl);
    }

    public String getGithubCredentialsId() {
        return githubCredentialsId;
    }

    @DataBoundSetter
    public void setGithubCredentialsId(String githubCredentialsId) {
        this.githubCredentialsId = Params.trimToNull(githubCredentialsId);
    }

    /** The engine request these parameters stand for (validated by the engine on the agent). */
    ReleaseRequest request() {
        return new ReleaseRequest(app, repo, tag, from, apiUrl);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowFetchRelease";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowFetchReleaseStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return StepContexts.AGENT_WORK;
        }

        public FormValidation doCheckApp(@QueryParameter String value) {
            return Forms.of(StepChecks.app(value));
        }

        public FormValidation doCheckRepo(@QueryParameter String value) {
            return Forms.of(StepChecks.repo(value));
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return Forms.of(StepChecks.tagOrLatest(value));
        }

        public FormValidation doCheckFrom(@QueryParameter String value) {
            return Forms.of(StepChecks.optionalTag(value));
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

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient FlowFetchReleaseStep step;

        Execution(FlowFetchReleaseStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            Launcher launcher = context.get(Launcher.class);
            String token = StepCredentials.gitHubToken(run, step.githubCredentialsId);
            AgentTask task = new FetchReleaseTask(
                    listener,
                    step.request(),
                    token,
                    BuildInfo.of(run, context.get(EnvVars.class)),
                    Workspaces.flowDir(workspace));
            Map<String, Object> result = launcher.getChannel().call(task);
            FlowUpgradeAction.of(run).recordRelease(result);
            return result;
        }
    }
}
