package io.github.flowupgrade.jenkins;

import hudson.Extension;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowRunUpgradeTasks}: runs the upgrade tasks the release notes of every release from {@code from} to
 * {@code tag} ask for, on one host, as the application user: requirement checks first, then dependencies,
 * pre-deployment migrations and assets. Manual items stop the step unless {@code confirmManual} is set.
 */
public final class FlowRunUpgradeTasksStep extends HostStep {
    static final String DEFAULT_PHASE = "after-checkout";

    private final String tag;
    private String from;
    private String repo;
    private String apiUrl;
    private String githubCredentialsId;
    private boolean confirmManual;
    private String phase = DEFAULT_PHASE;
    private int taskTimeout;
    private boolean forceUnlock;
    private boolean backup = true;
    private String backupDir;
    private String backupShip;

    @DataBoundConstructor
    public FlowRunUpgradeTasksStep(String host, String credentialsId, String tag) {
        super(host, credentialsId);
        this.tag = Params.trimToNull(tag);
    }

    public String getTag() {
        return tag;
    }

    /** The release the host ran before the checkout (for example {@code flowCheckout}'s {@code previous.tag}). */
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

    /** Whether a human confirmed the release's manual items (for example in an {@code input} step before). */
    public boolean isConfirmManual() {
        return confirmManual;
    }

    @DataBoundSetter
    public void setConfirmManual(boolean confirmManual) {
        this.confirmManual = confirmManual;
    }

    /** {@code after-checkout} (dependencies, pre-deployment migrations, assets) or {@code after-restart}. */
    public String getPhase() {
        return phase;
    }

    @DataBoundSetter
    public void setPhase(String phase) {
        String value = Params.trimToNull(phase);
        this.phase = value == null ? DEFAULT_PHASE : value;
    }

    /** Limit of each upgrade task, in seconds, like {@code flow upgrade --task-timeout}; 0 keeps 3600. */
    public int getTaskTimeout() {
        return taskTimeout;
    }

    @DataBoundSetter
    public void setTaskTimeout(int taskTimeout) {
        this.taskTimeout = taskTimeout;
    }

    /** Remove a host lock left by a run that died (check first that no run is in progress there). */
    public boolean isForceUnlock() {
        return forceUnlock;
    }

    @DataBoundSetter
    public void setForceUnlock(boolean forceUnlock) {
        this.forceUnlock = forceUnlock;
    }

    /**
     * Back up the database ({@code pg_dump -Fc}, checked with {@code pg_restore --list}) before the phase's first
     * migration (the default). {@code false} is recorded in the audit trail, with who ran the build.
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

    ReleaseRequest releaseRequest() {
        return new ReleaseRequest(getApp(), repo, tag, from, apiUrl);
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        BackupSettings backupSettings = BackupSettings.checked(backup, backupDir, backupShip);
        return runOnAgent(
                env,
                target -> new UpgradeTasksTask(
                        target,
                        releaseRequest(),
                        StepCredentials.gitHubToken(env.run(), githubCredentialsId, apiUrl),
                        phase,
                        confirmManual,
                        taskTimeout,
                        forceUnlock,
                        backupSettings));
    }

    @Extension
    public static final class DescriptorImpl extends HostStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowRunUpgradeTasks";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowRunUpgradeTasksStep_DisplayName();
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return Forms.of(StepChecks.tag(value));
        }

        public FormValidation doCheckTaskTimeout(@QueryParameter String value) {
            return Forms.of(StepChecks.seconds(value, 86_400));
        }

        public FormValidation doCheckBackupDir(@QueryParameter String value) {
            return Forms.of(StepChecks.backupDir(value));
        }

        public FormValidation doCheckPhase(@QueryParameter String value) {
            return Forms.of(StepChecks.phase(value));
        }

        public ListBoxModel doFillPhaseItems() {
            return Forms.listBox(FieldChoices.PHASE);
        }
    }
}
