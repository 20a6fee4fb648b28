package io.github.flowupgrade.upgrade.approval;

/**
 * Nobody to ask and no approval given beforehand: nothing is approved, the action stays pending, and the run still
 * succeeds, so a pipeline can ask a human and call again with the approval.
 */
public final class NoApprovalGate implements ApprovalGate {
    @Override
    public Answer ask(ApprovalRequest request) {
        return new Pending();
    }
}
