package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.FormValidation;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.services.ServiceSelection;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowRestartServices}: restarts sidekiq and reloads web (zero downtime) on one host, each checked to come back
 * healthy, and restarts streaming (which disconnects every client) only when {@code streaming} asks for it AND a human
 * approved it in an {@code input} step of this build whose {@code submitterParameter} value is passed as
 * {@code streamingApprovedBy}. Without that approval streaming is left alone, the step says why, and returns
 * {@code streaming.restarted == false} with status {@code pending approval}.
 */
public final class FlowRestartServicesStep extends HostStep {
    static final String DEFAULT_SERVICES = "sidekiq, web";

    private String services = DEFAULT_SERVICES;
    private String streaming;
    private String streamingApprovedBy;

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
        this.services = services == null ? DEFAULT_SERVICES : services.trim();
    }

    /** {@code never}, {@code if-needed} (the engine's default) or {@code always}. */
    public String getStreaming() {
        return streaming;
    }

    @DataBoundSetter
    public void setStreaming(String streaming) {
        this.streaming = Params.trimToNull(streaming);
    }

    public String getStreamingApprovedBy() {
        return streamingApprovedBy;
    }

    @DataBoundSetter
    public void setStreamingApprovedBy(String streamingApprovedBy) {
        this.streamingApprovedBy = Params.trimToNull(streamingApprovedBy);
    }

    /** The engine request these parameters stand for; the approvals are the build's recorded ones. */
    RestartRequest restartRequest(List<String> approverIds) throws AbortException {
        ServiceSelection selection;
        try {
            // The same reading as flow restart --services: naming streaming asks for it (still behind the gate).
            selection = ServiceSelection.parse(services, streaming);
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
        return new RestartRequest(
                selection.roles(),
                selection.streaming().spelling(),
                new InputApprovalGate(streamingApprovedBy, approverIds));
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        List<String> approvers = env.run().getActions(ApproverAction.class).stream()
                .map(ApproverAction::getUserId)
                .toList();
        RestartRequest request = restartRequest(approvers);
        Map<String, Object> result = runOnAgent(env, target -> new RestartTask(target, request));
        FlowUpgradeAction.of(env.run()).recordRestart(result);
        return result;
    }

    @Extension
    public static final class DescriptorImpl extends HostStepDescriptor {
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

        public FormValidation doCheckStreaming(@QueryParameter String value) {
            return Forms.of(StepChecks.streaming(value));
        }
    }
}
