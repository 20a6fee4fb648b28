package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.FormValidation;
import io.github.flowupgrade.upgrade.instance.InstanceDescription;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowUpgrade}: the whole upgrade of one host (or several, one after the other, or the hosts of one instance
 * as one: {@code instance}), as {@code flow upgrade} does
 * it: reads the release each host runs, looks the range up, and for every hop checks it out, runs its tasks, restarts
 * sidekiq and reloads web, each checked healthy, under the host's lock; then restarts streaming when it is needed and
 * approved in an {@code input} of this build, and otherwise returns it as pending. Returns the same map as
 * {@code flow upgrade --json}. A host that does not make it fails the step with what completed and how to resume; the
 * hosts after it are left alone.
 */
public final class FlowUpgradeStep extends ServiceStep {
    private final String tag;
    private String from;
    private String repo;
    private String apiUrl;
    private String githubCredentialsId;
    private boolean includePrereleases;
    private boolean singleHop;
    private String gitUrl;
    private boolean confirmManual;
    private boolean forceUnlock;
    private int taskTimeout;
    private boolean planOnly;
    private boolean keepLocalCommits;
    private boolean backup = true;
    private String backupDir;
    private String backupShip;
    private String preflightWarn;
    private int assetsMemory;
    private int minFreeDisk;
    private boolean allowToolchainInstall;
    private boolean allowDowntime;
    private String instance;

    @DataBoundConstructor
    public FlowUpgradeStep(String host, String credentialsId, String tag) {
        super(host, credentialsId);
        this.tag = Params.trimToNull(tag);
    }

    public String getTag() {
        return tag;
    }

    /** The release every host runs; empty (the default) reads it on each host from the tag at its HEAD. */
    public String getFrom() {
        return from;
    }

    @DataBoundSetter
    public void setFrom(String from) {
        this.from = Params.trimToNull(from);
    }

    public String getRepo() {
        return repo;
    }

    @DataBoundSetter
    public void setRepo(String repo) {
        this.repo = Params.trimToNull(repo);
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

    public boolean isIncludePrereleases() {
        return includePrereleases;
    }

    @DataBoundSetter
    public void setIncludePrereleases(boolean includePrereleases) {
        this.includePrereleases = includePrereleases;
    }

    /** Go straight to the target even where the profile asks to deploy one release of every minor series. */
    public boolean isSingleHop() {
        return singleHop;
    }

    @DataBoundSetter
    public void setSingleHop(boolean singleHop) {
        this.singleHop = singleHop;
    }

    /** A repository whose tag the checkout must land on exactly (resolved with {@code git ls-remote}). */
    public String getGitUrl() {
        return gitUrl;
    }

    @DataBoundSetter
    public void setGitUrl(String gitUrl) {
        this.gitUrl = Params.trimToNull(gitUrl);
    }

    /** The release notes' manual steps are done (for example confirmed in an {@code input} before). */
    public boolean isConfirmManual() {
        return confirmManual;
    }

    @DataBoundSetter
    public void setConfirmManual(boolean confirmManual) {
        this.confirmManual = confirmManual;
    }

    /** Remove a host lock left by a run that died (check first that no run is in progress there). */
    public boolean isForceUnlock() {
        return forceUnlock;
    }

    @DataBoundSetter
    public void setForceUnlock(boolean forceUnlock) {
        this.forceUnlock = forceUnlock;
    }

    /** Limit of each upgrade task, in seconds; 0 keeps 3600. */
    public int getTaskTimeout() {
        return taskTimeout;
    }

    @DataBoundSetter
    public void setTaskTimeout(int taskTimeout) {
        this.taskTimeout = taskTimeout;
    }

    /**
     * Only read the release each host runs and return the plan of its range (hops, tasks, manual steps, streaming):
     * nothing changes and no lock is taken. For a pipeline that shows the manual steps and asks before upgrading.
     */
    public boolean isPlanOnly() {
        return planOnly;
    }

    @DataBoundSetter
    public void setPlanOnly(boolean planOnly) {
        this.planOnly = planOnly;
    }

    /**
     * Check out even when a host's {@code HEAD} has commits of its own, keeping them reachable under
     * {@code refs/flow-upgrade/kept/...} (else such a host is refused, as {@code flow upgrade} refuses it).
     */
    public boolean isKeepLocalCommits() {
        return keepLocalCommits;
    }

    @DataBoundSetter
    public void setKeepLocalCommits(boolean keepLocalCommits) {
        this.keepLocalCommits = keepLocalCommits;
    }

    /**
     * Back up the database ({@code pg_dump -Fc}, checked with {@code pg_restore --list}) before the first migration of
     * a host whose plan migrates (the default). {@code false} is recorded in the audit trail, with who ran the build.
     */
    public boolean isBackup() {
        return backup;
    }

    @DataBoundSetter
    public void setBackup(boolean backup) {
        this.backup = backup;
    }

    /** The directory on the host the dumps go into; empty for {@code ~/.flow-upgrade/backups} of the app user. */
    public String getBackupDir() {
        return backupDir;
    }

    @DataBoundSetter
    public void setBackupDir(String backupDir) {
        this.backupDir = Params.trimToNull(backupDir);
    }

    /**
     * A command run on the host as the application user once the dump is checked, to copy it elsewhere; the dump's
     * path is in {@code $FLOW_BACKUP}, the settings copy's in {@code $FLOW_BACKUP_ENV}. Empty: none.
     */
    public String getBackupShip() {
        return backupShip;
    }

    @DataBoundSetter
    public void setBackupShip(String backupShip) {
        this.backupShip = Params.trimToNull(backupShip);
    }

    /** Pre-flight checks whose failure only warns: {@code memory}, {@code disk}, {@code ruby}, {@code node}, {@code config}. */
    public String getPreflightWarn() {
        return preflightWarn;
    }

    @DataBoundSetter
    public void setPreflightWarn(String preflightWarn) {
        this.preflightWarn = Params.trimToNull(preflightWarn);
    }

    /** MiB of memory and swap the pre-flight wants free when the plan recompiles assets; 0 keeps 2048. */
    public int getAssetsMemory() {
        return assetsMemory;
    }

    @DataBoundSetter
    public void setAssetsMemory(int assetsMemory) {
        this.assetsMemory = assetsMemory;
    }

    /** MiB the pre-flight wants free in the application directory's filesystem; 0 keeps 2048. */
    public int getMinFreeDisk() {
        return minFreeDisk;
    }

    @DataBoundSetter
    public void setMinFreeDisk(int minFreeDisk) {
        this.minFreeDisk = minFreeDisk;
    }

    /** Install a Ruby a release names and the app user's rbenv lacks (ruby-build updated first), instead of refusing. */
    public boolean isAllowToolchainInstall() {
        return allowToolchainInstall;
    }

    @DataBoundSetter
    public void setAllowToolchainInstall(boolean allowToolchainInstall) {
        this.allowToolchainInstall = allowToolchainInstall;
    }

    /**
     * Where the release notes say a rolling update from the running version is not supported: stop web, sidekiq and
     * streaming, migrate, start them (the site is down meanwhile), instead of going through the release they recommend
     * first.
     */
    public boolean isAllowDowntime() {
        return allowDowntime;
    }

    @DataBoundSetter
    public void setAllowDowntime(boolean allowDowntime) {
        this.allowDowntime = allowDowntime;
    }

    /**
     * An instance on several hosts, upgraded as one (instead of {@code host}): the description itself (JSON) or the
     * path of a JSON file in the workspace, as {@code flow upgrade --instance} reads it.
     */
    public String getInstance() {
        return instance;
    }

    @DataBoundSetter
    public void setInstance(String instance) {
        this.instance = Params.trimToNull(instance);
    }

    @Override
    boolean takesSeveralHosts() {
        return true;
    }

    ReleaseRequest releaseRequest() {
        return new ReleaseRequest(getApp(), repo, tag, from, apiUrl, includePrereleases, singleHop, gitUrl);
    }

    /**
     * How the upgrade runs on each host, as plain values for the agent; an {@code instance} given with {@code host},
     * or inline and wrong, fails the step here.
     */
    UpgradeTask.Settings settings() throws AbortException {
        if (tag == null) {
            throw new AbortException(Messages.Check_Required("tag"));
        }
        if (instance != null) {
            if (getHost() != null) {
                throw new AbortException("give instance or host, not both: the instance description names its"
                        + " hosts (port, hostKey, knownHostsFile and as still hold for the hosts that set none)");
            }
            if (InstanceFile.inline(instance)) {
                InstanceFile.parse(instance);
            } else {
                InstanceFile.checkedPath(instance);
            }
        }
        return new UpgradeTask.Settings(
                getStreaming(),
                confirmManual,
                forceUnlock,
                taskTimeout,
                restarts(),
                keepLocalCommits,
                planOnly,
                BackupSettings.checked(backup, backupDir, backupShip),
                PreflightSettings.checked(
                        preflightWarn, assetsMemory, minFreeDisk, allowToolchainInstall, allowDowntime));
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        UpgradeTask.Settings settings = settings();
        // Decided here on the controller, from the build's own records; only the verdict goes to the agent.
        ApprovalVerdict approval = streamingApproval(env);
        String token = StepCredentials.gitHubToken(env.run(), githubCredentialsId, apiUrl);
        Map<String, Object> result = instance == null
                ? runOnAgent(env, target -> new UpgradeTask(target, releaseRequest(), token, approval, settings))
                : runOnInstance(env, token, approval, settings);
        if (!planOnly) {
            FlowUpgradeAction.of(env.run()).recordUpgrade(result);
        }
        UpgradeOutcome outcome = new UpgradeOutcome(result);
        outcome.warnPending(env.listener().getLogger());
        if (!outcome.succeeded()) {
            throw new AbortException(outcome.failureMessage());
        }
        return result;
    }

    /**
     * The upgrade of the instance {@code instance} describes: the description is read and checked here, on the
     * controller, and the credential is checked for each of its hosts, before anything is sent to a host.
     */
    private Map<String, Object> runOnInstance(
            StepEnvironment env, String token, ApprovalVerdict approval, UpgradeTask.Settings settings)
            throws IOException, InterruptedException {
        String json = InstanceFile.text(instance, env);
        InstanceDescription description = InstanceFile.parse(json);
        List<Endpoint> endpoints = description.hosts().stream()
                .map(h -> new Endpoint(h.host(), h.port() == null ? getPort() : h.port()))
                .toList();
        return runOnAgent(
                env,
                String.join(", ", description.labels()),
                endpoints,
                target -> new UpgradeTask(target, releaseRequest(), token, approval, settings, json));
    }

    @Extension
    public static final class DescriptorImpl extends ServiceStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowUpgrade";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowUpgradeStep_DisplayName();
        }

        @Override
        public FormValidation doCheckHost(@QueryParameter String value) {
            // Empty is right when instance names the hosts, which this check cannot see.
            return Params.blank(value)
                    ? Forms.of(Check.warning("host is required, unless instance names the hosts."))
                    : Forms.of(StepChecks.hosts(value));
        }

        public FormValidation doCheckInstance(@QueryParameter String value) {
            return Forms.of(StepChecks.instance(value));
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return Forms.of(StepChecks.tag(value));
        }

        public FormValidation doCheckGitUrl(@QueryParameter String value) {
            return Forms.of(StepChecks.gitUrl(value));
        }

        public FormValidation doCheckTaskTimeout(@QueryParameter String value) {
            return Forms.of(StepChecks.seconds(value, 86_400));
        }

        public FormValidation doCheckBackupDir(@QueryParameter String value) {
            return Forms.of(StepChecks.backupDir(value));
        }

        public FormValidation doCheckPreflightWarn(@QueryParameter String value) {
            return Forms.of(StepChecks.preflightWarn(value));
        }

        public FormValidation doCheckAssetsMemory(@QueryParameter String value) {
            return Forms.of(StepChecks.mib(value));
        }

        public FormValidation doCheckMinFreeDisk(@QueryParameter String value) {
            return Forms.of(StepChecks.mib(value));
        }
    }
}
