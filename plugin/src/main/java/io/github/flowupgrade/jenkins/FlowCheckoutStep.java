package io.github.flowupgrade.jenkins;

import hudson.Extension;
import hudson.util.FormValidation;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowCheckout}: checks out a release tag on one host, as {@code flow checkout} does: locked, verified, never
 * discarding local changes. Returns the host's previous and current revision and what changed between them.
 */
public final class FlowCheckoutStep extends HostStep {
    private final String tag;
    private String expectCommit;

    @DataBoundConstructor
    public FlowCheckoutStep(String host, String credentialsId, String tag) {
        super(host, credentialsId);
        this.tag = Params.trimToNull(tag);
    }

    public String getTag() {
        return tag;
    }

    /** The commit the tag must point at (for example {@code flowFetchRelease}'s {@code commit}); optional. */
    public String getExpectCommit() {
        return expectCommit;
    }

    @DataBoundSetter
    public void setExpectCommit(String expectCommit) {
        this.expectCommit = Params.trimToNull(expectCommit);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    @Extension
    public static final class DescriptorImpl extends HostStepDescriptor {
        @Override
        public String getFunctionName() {
            return "flowCheckout";
        }

        @Override
        public String getDisplayName() {
            return Messages.FlowCheckoutStep_DisplayName();
        }

        public FormValidation doCheckTag(@QueryParameter String value) {
            return Forms.of(StepChecks.tag(value));
        }

        public FormValidation doCheckExpectCommit(@QueryParameter String value) {
            return Forms.of(StepChecks.commit(value));
        }
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient FlowCheckoutStep step;

        Execution(FlowCheckoutStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            StepEnvironment env = StepEnvironment.of(getContext());
            SshLogin login = StepCredentials.sshLogin(env.run(), step.getCredentialsId());
            Map<String, Object> result = env.call(new CheckoutTask(
                    env.listener(),
                    step.hostRequest(),
                    login,
                    env.build(),
                    env.flowDir(),
                    step.tag,
                    step.expectCommit));
            FlowUpgradeAction action = FlowUpgradeAction.of(env.run());
            action.recordCheckout(result);
            action.recordAuditTrail(Workspaces.auditPath(step.getHost()));
            return result;
        }
    }
}
