package io.github.flowupgrade.jenkins;

import hudson.Extension;
import hudson.util.FormValidation;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowFetchRelease}: looks up a release on GitHub (the latest, or {@code tag}) and returns the upgrade plan for
 * the range from {@code from}, as {@code flow fetch-release --json} prints it. Touches no host.
 */
public final class FlowFetchReleaseStep extends FlowStep {
    private String repo;
    private String tag;
    private String from;
    private String apiUrl;
    private String githubCredentialsId;
    private boolean includePrereleases;
    private boolean singleHop;
    private String gitUrl;

    @DataBoundConstructor
    public FlowFetchReleaseStep() {}

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

    /** Count pre-releases in the range (implied when the target is one), like {@code --include-prereleases}. */
    public boolean isIncludePrereleases() {
        return includePrereleases;
    }

    @DataBoundSetter
    public void setIncludePrereleases(boolean includePrereleases) {
        this.includePrereleases = includePrereleases;
    }

    /** Plan a single hop to the target even where the profile asks for one release of every minor series. */
    public boolean isSingleHop() {
        return singleHop;
    }

    @DataBoundSetter
    public void setSingleHop(boolean singleHop) {
        this.singleHop = singleHop;
    }

    /** A repository whose tag's commit is resolved with {@code git ls-remote} and returned as {@code commit}. */
    public String getGitUrl() {
        return gitUrl;
    }

    @DataBoundSetter
    public void setGitUrl(String gitUrl) {
        this.gitUrl = Params.trimToNull(gitUrl);
    }

    /** The engine request these parameters stand for (validated by the engine on the agent). */
    ReleaseRequest request() {
        return new ReleaseRequest(getApp(), repo, tag, from, apiUrl, includePrereleases, singleHop, gitUrl);
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        String token = StepCredentials.gitHubToken(env.run(), githubCredentialsId, apiUrl);
        Map<String, Object> result =
                env.call(new FetchReleaseTask(env.listener(), request(), token, env.build(), env.flowDir()));
        FlowUpgradeAction.of(env.run()).recordRelease(result);
        return result;
    }

    @Extension
    public static final class DescriptorImpl extends FlowStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowFetchRelease";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowFetchReleaseStep_DisplayName();
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return Forms.of(StepChecks.tagOrLatest(value));
        }

        public FormValidation doCheckGitUrl(@QueryParameter String value) {
            return Forms.of(StepChecks.gitUrl(value));
        }
    }
}
