package io.github.flowupgrade.upgrade.approval;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.time.Clock;

/** An approval given before the run was given before the run (by a pipeline's input step, a ticket...). */
public final class PreApprovedGate implements ApprovalGate {
    private final String approver;
    private final Clock clock;

    public PreApprovedGate(String approver, Clock clock) {
        if (approver == null || approver.isBlank() || approver.length() > 200 || approver.matches(".*\\p{Cntrl}.*")) {
            throw FlowException.badInput(Option.APPROVED_BY.named()
                    + " needs the name of the person who approved (printable, at most 200" + " characters)");
        }
        this.approver = approver.strip();
        this.clock = clock;
    }

    @Override
    public Answer ask(ApprovalRequest request) {
        return new Approved(approver, clock.instant());
    }
}
