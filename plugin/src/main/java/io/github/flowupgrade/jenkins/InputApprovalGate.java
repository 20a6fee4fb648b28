package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.time.Clock;

/**
 * The streaming gate of {@code flowRestartServices} on the agent: it answers with the verdict the controller reached
 * ({@link InputApprovals}) and decides nothing itself. A refusal is {@link ApprovalGate.Pending}: the engine restarts
 * nothing of streaming, records why in the audit trail, and the step returns {@code streaming.restarted == false} with
 * status {@code pending approval}. It never waits: waiting is the {@code input} step's job, which is durable across
 * controller restarts.
 */
final class InputApprovalGate implements ApprovalGate {
    private final ApprovalVerdict verdict;
    private final Console console;
    private final Clock clock;

    /**
     * @param console where the verdict is printed when the engine asks
     * @param clock the clock of the approval's time in the audit trail
     */
    InputApprovalGate(ApprovalVerdict verdict, Console console, Clock clock) {
        this.verdict = verdict;
        this.console = console;
        this.clock = clock;
    }

    @Override
    public Answer ask(ApprovalRequest request) {
        if (verdict.approved()) {
            console.info("[" + request.host() + "] " + verdict.message());
            return new Approved(verdict.approver(), clock.instant());
        }
        console.warn("[" + request.host() + "] " + verdict.message());
        return new Pending();
    }
}
