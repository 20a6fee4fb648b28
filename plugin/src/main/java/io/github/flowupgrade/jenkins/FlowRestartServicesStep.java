package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.FormValidation;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.services.ServiceSelection;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowRestartServices}: restarts sidekiq and reloads web (zero downtime) on one host, each checked to come back
 * healthy, and restarts streaming (which disconnects every client) only when {@code streaming} asks for it AND the user
 * named by {@code streamingApprovedBy} (the {@code input} step's {@code submitterParameter} value) approved the
 * {@code input} step of this build whose id is {@code streamingApprovalInput}. The controller decides that
 * ({@link InputApprovals}); without that approval streaming is left alone, the step says why, and returns
 * {@code streaming.restarted == false} with status {@code pending approval}. It holds the host's lock while it works, as
 * {@code flowCheckout} and {@code flowRunUpgradeTasks} do: a host another run holds fails the step, unless
 * {@code forceUnlock} removes a lock a dead run left.
 */
public final class FlowRestartServicesStep extends ServiceStep {
    private String services = ServiceSelection.DEFAULT;
    private boolean forceUnlock;

    @DataBoundConstructor
    public FlowRestartServicesStep(String host, String credentialsId) {
        super(host, credentialsId);
    }

    /**
     * Which of sidekiq and web to restart, separated by commas. Naming streaming here means {@code streaming:
     * 'always'} (still behind the approval gate).
     */
    public String getServices() {
        return services;
    }

    @DataBoundSetter
    public void setServices(String services) {
        this.services = services == null ? ServiceSelection.DEFAULT : services.trim();
    }

    /** Remove a host lock left by a run that died (check first that no run is in progress there). */
    public boolean isForceUnlock() {
        return forceUnlock;
    }

    @DataBoundSetter
    public void setForceUnlock(boolean forceUnlock) {
        this.forceUnlock = forceUnlock;
    }

    /** The engine request these parameters stand for, with the streaming gate's verdict. */
    RestartRequest restartRequest(ApprovalVerdict approval) throws AbortException {
        ServiceSelection selection;
        try {
            // The same reading as flow restart --services: naming streaming asks for it (still behind the gate).
            selection = ServiceSelection.parse(services, getStreaming());
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
        return new RestartRequest(
                selection.roles(), selection.streaming().spelling(), approval, restarts(), forceUnlock);
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        // Decided here on the controller, from the build's own records; only the verdict goes to the agent.
        RestartRequest request = restartRequest(streamingApproval(env));
        Map<String, Object> result = runOnAgent(env, target -> new RestartTask(target, request));
        FlowUpgradeAction.of(env.run()).recordRestart(result);
        return result;
    }

    @Extension
    public static final class DescriptorImpl extends ServiceStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowRestartServices";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowRestartServicesStep_DisplayName();
        }

        public FormValidation doCheckServices(@QueryParameter String value) {
            return Forms.of(StepChecks.services(value));
        }
    }
}
