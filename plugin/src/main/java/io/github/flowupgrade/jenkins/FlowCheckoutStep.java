package io.github.flowupgrade.jenkins;

import hudson.Extension;
import hudson.util.FormValidation;
import java.io.IOException;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code flowCheckout}: checks out a release tag on one host, as {@code flow checkout} does: locked, verified, never
 * discarding local changes; or, with {@code rollback}, returns the host to the commit it ran before its last recorded
 * checkout. Returns the host's previous and current revision and what changed between them.
 */
public final class FlowCheckoutStep extends HostStep {
    private final String tag;
    private String expectCommit;
    private boolean rollback;
    private boolean forceUnlock;
    private boolean keepLocalCommits;

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

    /** Return to the commit before the last recorded checkout instead of checking out {@code tag} (give no tag). */
    public boolean isRollback() {
        return rollback;
    }

    @DataBoundSetter
    public void setRollback(boolean rollback) {
        this.rollback = rollback;
    }

    /** Remove a host lock left by a run that died (check first that no run is in progress there). */
    public boolean isForceUnlock() {
        return forceUnlock;
    }

    @DataBoundSetter
    public void setForceUnlock(boolean forceUnlock) {
        this.forceUnlock = forceUnlock;
    }

    /** Check out even over local commits on the host, keeping them under {@code refs/flow-upgrade/kept/...}. */
    public boolean isKeepLocalCommits() {
        return keepLocalCommits;
    }

    @DataBoundSetter
    public void setKeepLocalCommits(boolean keepLocalCommits) {
        this.keepLocalCommits = keepLocalCommits;
    }

    @Override
    Map<String, Object> run(StepEnvironment env) throws IOException, InterruptedException {
        Map<String, Object> result = runOnAgent(
                env, target -> new CheckoutTask(target, tag, expectCommit, rollback, forceUnlock, keepLocalCommits));
        FlowUpgradeAction.of(env.run()).recordCheckout(result);
        return result;
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

        public FormValidation doCheckTag(@QueryParameter String value, @QueryParameter boolean rollback) {
            return Forms.of(rollback ? StepChecks.optionalTag(value) : StepChecks.tag(value));
        }

        public FormValidation doCheckExpectCommit(@QueryParameter String value) {
            return Forms.of(StepChecks.commit(value));
        }
    }
}
