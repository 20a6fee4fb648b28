package io.github.flowupgrade.upgrade.approval;

import java.time.Instant;

/**
 * Asks a human before a disruptive action (restarting streaming disconnects every client). The CLI answers from
 * {@code --approved-by} or a terminal prompt; the Jenkins plugin from the durable {@code input} step.
 */
public interface ApprovalGate {
    Answer ask(ApprovalRequest request);

    /** How a request ended. */
    sealed interface Answer {}

    record Approved(String by, Instant when) implements Answer {}

    record Denied(String by, Instant when) implements Answer {}

    record TimedOut(Instant when) implements Answer {}

    /** Nobody could be asked now: the action waits for a later run that carries an approval. */
    record Pending() implements Answer {}
}
