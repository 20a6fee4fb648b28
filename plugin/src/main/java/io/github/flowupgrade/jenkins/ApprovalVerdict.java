package io.github.flowupgrade.jenkins;

import java.io.Serializable;

/**
 * The streaming gate's decision, made on the controller ({@link InputApprovals}) and sent to the agent, where the
 * engine asks for it ({@link InputApprovalGate}) only if a streaming restart is due.
 *
 * @param approver who approved, as the audit trail records it; null when not approved
 * @param message the sentence printed to the build log either way
 */
record ApprovalVerdict(boolean approved, String approver, String message) implements Serializable {
    static ApprovalVerdict approvedBy(String approver, String message) {
        return new ApprovalVerdict(true, approver, message);
    }

    static ApprovalVerdict refused(String message) {
        return new ApprovalVerdict(false, null, message);
    }
}
