package io.github.flowupgrade.upgrade.approval;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Asks a human before a disruptive action (restarting streaming disconnects every client). The CLI answers from
 * {@code --approved-by}, a terminal prompt, or a GitHub environment's approval in the running workflow
 * ({@link GitHubEnvironmentGate}); the Jenkins plugin from the durable {@code input} step.
 */
public interface ApprovalGate {
    Answer ask(ApprovalRequest request);

    /** How a request ended. */
    sealed interface Answer {}

    /**
     * An approval.
     *
     * @param by who approved, as the audit trail and the result name them
     * @param proof where the approval was read, as audit fields (a GitHub environment: its name, the run, the
     *     reviewers, their comments); empty when the gate has nothing more than {@code by}
     */
    record Approved(String by, Instant when, Map<String, Object> proof) implements Answer {
        public Approved {
            proof = Collections.unmodifiableMap(new LinkedHashMap<>(proof));
        }

        public Approved(String by, Instant when) {
            this(by, when, Map.of());
        }
    }

    record Denied(String by, Instant when) implements Answer {}

    record TimedOut(Instant when) implements Answer {}

    /** Nobody could be asked now: the action waits for a later run that carries an approval. */
    record Pending() implements Answer {}
}
