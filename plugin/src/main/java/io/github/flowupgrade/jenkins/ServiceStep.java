package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The parameters of the steps that restart services ({@code flowRestartServices}, {@code flowUpgrade}), named as
 * {@code flow restart}'s and {@code flow upgrade}'s options: how web is restarted, how long a service may take to come
 * back, the sidekiq settle check, and the streaming restart with its gate (an approval of a named {@code input} step
 * of this build by the user {@code streamingApprovedBy} names, decided on the controller by {@link InputApprovals}).
 */
public abstract class ServiceStep extends HostStep {
    static final int DEFAULT_HEALTH_TIMEOUT = 60;

    private String streaming;
    private String streamingApprovedBy;
    private String streamingApprovalInput = InputApprovals.DEFAULT_INPUT_ID;
    private String webAction;
    private int healthTimeout;
    private int settle;

    protected ServiceStep(String host, String credentialsId) {
        super(host, credentialsId);
    }

    /** {@code never}, {@code if-needed} (the default) or {@code always}; always behind the approval gate. */
    public String getStreaming() {
        return streaming;
    }

    @DataBoundSetter
    public void setStreaming(String streaming) {
        this.streaming = Params.trimToNull(streaming);
    }

    /** The user who approved the streaming restart: the {@code submitterParameter} value of the approving input. */
    public String getStreamingApprovedBy() {
        return streamingApprovedBy;
    }

    @DataBoundSetter
    public void setStreamingApprovedBy(String streamingApprovedBy) {
        this.streamingApprovedBy = Params.trimToNull(streamingApprovedBy);
    }

    /** The id of the {@code input} step whose approval opens the gate; {@code RestartStreaming} by default. */
    public String getStreamingApprovalInput() {
        return streamingApprovalInput;
    }

    @DataBoundSetter
    public void setStreamingApprovalInput(String streamingApprovalInput) {
        String value = Params.trimToNull(streamingApprovalInput);
        this.streamingApprovalInput = value == null ? InputApprovals.DEFAULT_INPUT_ID : value;
    }

    /** {@code reload} (a phased restart, the default) or {@code restart}, for a web server without one. */
    public String getWebAction() {
        return webAction;
    }

    @DataBoundSetter
    public void setWebAction(String webAction) {
        this.webAction = Params.trimToNull(webAction);
    }

    /** Seconds a service may take to come back healthy; 0 keeps the default (60). */
    public int getHealthTimeout() {
        return healthTimeout;
    }

    @DataBoundSetter
    public void setHealthTimeout(int healthTimeout) {
        this.healthTimeout = healthTimeout;
    }

    /** Seconds after its restart sidekiq is checked once more for still running the same process; 0 checks at once. */
    public int getSettle() {
        return settle;
    }

    @DataBoundSetter
    public void setSettle(int settle) {
        this.settle = settle;
    }

    /** The streaming gate's verdict for this build, decided on the controller from the build's own records. */
    ApprovalVerdict streamingApproval(StepEnvironment env) {
        return InputApprovals.ofJenkins().decide(env.run(), streamingApprovedBy, streamingApprovalInput);
    }

    /** The restart settings as plain values for the agent, checked now so a bad value fails before any connection. */
    Restarts restarts() throws AbortException {
        Restarts restarts =
                new Restarts(webAction, healthTimeout == 0 ? DEFAULT_HEALTH_TIMEOUT : healthTimeout, settle);
        try {
            restarts.timeouts();
            restarts.webActionValue();
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
        return restarts;
    }

    /** How services are restarted, as it travels to the agent. */
    record Restarts(String webAction, int healthTimeout, int settle) implements Serializable {
        RestartTimeouts timeouts() {
            return RestartTimeouts.of(healthTimeout, settle);
        }

        ServiceAction webActionValue() {
            return ServiceAction.webAction(webAction);
        }
    }
}
