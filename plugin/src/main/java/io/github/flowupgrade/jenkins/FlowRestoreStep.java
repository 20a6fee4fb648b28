package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.FormValidation;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.BackupCommands;
import io.github.flowupgrade.commands.Inputs;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowRestore}: the database of one host back from a backup {@code flowUpgrade} took before its migrations, as
 * {@code flow restore} does it: the dump checked ({@code pg_restore --list}, its SHA-256), web, sidekiq and streaming
 * stopped (they stay stopped), the database dropped, created again and restored. Everything written since the backup
 * is lost, so the step runs only when {@code confirmRestore} names the host it restores: nobody can be asked on the
 * agent, and a Pipeline asks its human in an {@code input} before.
 */
public final class FlowRestoreStep extends HostStep {
    private final String backup;
    private String expectSha256;
    private String confirmRestore;
    private int taskTimeout;

    @DataBoundConstructor
    public FlowRestoreStep(String host, String credentialsId, String backup) {
        super(host, credentialsId);
        this.backup = Params.trimToNull(backup);
    }

    /** The dump on the host, as the upgrade's result ({@code backup.path}) or a refused rollback names it. */
    public String getBackup() {
        return backup;
    }

    /** The SHA-256 the dump must have, as the upgrade recorded it ({@code backup.sha256}); optional. */
    public String getExpectSha256() {
        return expectSha256;
    }

    @DataBoundSetter
    public void setExpectSha256(String expectSha256) {
        this.expectSha256 = Params.trimToNull(expectSha256);
    }

    /** The host's name, exactly as in {@code host}: the confirmation that its database is replaced. */
    public String getConfirmRestore() {
        return confirmRestore;
    }

    @DataBoundSetter
    public void setConfirmRestore(String confirmRestore) {
        this.confirmRestore = Params.trimToNull(confirmRestore);
    }

    /** Limit of the restore itself, in seconds; 0 keeps 3600. */
    public int getTaskTimeout() {
        return taskTimeout;
    }

    @DataBoundSetter
    public void setTaskTimeout(int taskTimeout) {
        this.taskTimeout = taskTimeout;
    }

    /** Refuses, on the controller, a restore nobody confirmed for this host, or a dump flow did not make. */
    void checkRequest() throws AbortException {
        if (backup == null) {
            throw new AbortException(Messages.Check_Required("backup"));
        }
        try {
            BackupCommands.checkDump(backup);
            if (taskTimeout != 0) {
                Option.TASK_TIMEOUT.seconds(taskTimeout, 1, 86_400);
            }
        } catch (io.github.flowupgrade.FlowException e) {
            throw new AbortException(e.getMessage());
        }
        if (expectSha256 != null && !expectSha256.matches("[0-9a-f]{64}")) {
            throw new AbortException(Messages.Check_Sha256());
        }
        String host = Params.trimToNull(getHost());
        if (confirmRestore == null || !confirmRestore.equals(host)) {
            throw new AbortException(Messages.Check_ConfirmRestore(
                    host == null ? "" : Inputs.printable(host),
                    confirmRestore == null ? "nothing" : Inputs.printable(confirmRestore)));
        }
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        checkRequest();
        return runOnAgent(env, target -> new RestoreTask(target, backup, expectSha256, taskTimeout));
    }

    @Extension
    public static final class DescriptorImpl extends HostStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowRestore";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowRestoreStep_DisplayName();
        }

        public FormValidation doCheckBackup(@QueryParameter String value) {
            return Forms.of(StepChecks.dump(value));
        }

        public FormValidation doCheckExpectSha256(@QueryParameter String value) {
            return Forms.of(StepChecks.sha256(value));
        }

        public FormValidation doCheckTaskTimeout(@QueryParameter String value) {
            return Forms.of(StepChecks.seconds(value, 86_400));
        }
    }
}
