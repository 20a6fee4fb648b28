package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.io.Serializable;
import java.time.Clock;
import java.util.List;

/**
 * The streaming gate of {@code flowRestartServices}: approves only when {@code streamingApprovedBy} names a user who
 * approved an {@code input} step of this build. The {@code input} step records every approval on the build as an
 * {@code ApproverAction} holding the approver's user id (the same id its {@code submitterParameter} returns); the
 * controller reads those ids and hands them to this gate, which then runs on the agent without Jenkins types.
 *
 * <p>Otherwise it answers {@link ApprovalGate.Pending}: the engine restarts nothing of streaming, records why in the
 * audit trail, and the step returns {@code streaming.restarted == false} with status {@code pending approval}. It never
 * waits: waiting is the {@code input} step's job, which is durable across controller restarts.
 */
final class InputApprovalGate implements ApprovalGate, Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether the gate opens, and the sentence printed to the build log either way. */
    record Verdict(boolean approved, String message) {}

    private final String streamingApprovedBy;
    private final List<String> approverIds;
    private transient Console console;
    private transient Clock clock;

    /**
     * @param streamingApprovedBy the user the pipeline says approved the restart (the {@code input} step's
     *     {@code submitterParameter} value), or null
     * @param approverIds the user ids of the {@code ApproverAction}s of this build, in the order recorded
     */
    InputApprovalGate(String streamingApprovedBy, List<String> approverIds) {
        this.streamingApprovedBy = Params.trimToNull(streamingApprovedBy);
        this.approverIds = List.copyOf(approverIds);
    }

    /** Where the verdict is printed, and the clock of the approval time; set on the agent before use. */
    InputApprovalGate on(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
        return this;
    }

    Verdict verdict() {
        if (streamingApprovedBy == null) {
            return new Verdict(false, Messages.Gate_NoApprover());
        }
        if (approverIds.contains(streamingApprovedBy)) {
            return new Verdict(true, Messages.Gate_Approved(streamingApprovedBy));
        }
        String recorded = approverIds.isEmpty() ? "none" : String.join(", ", approverIds);
        return new Verdict(false, Messages.Gate_NotApproved(streamingApprovedBy, recorded));
    }

    @Override
    public Answer ask(ApprovalRequest request) {
        Verdict verdict = verdict();
        Console out = console == null ? Console.silent() : console;
        if (verdict.approved()) {
            out.info("[" + request.host() + "] " + verdict.message());
            return new Approved(streamingApprovedBy, (clock == null ? Clock.systemUTC() : clock).instant());
        }
        out.warn("[" + request.host() + "] " + verdict.message());
        return new Pending();
    }
}
