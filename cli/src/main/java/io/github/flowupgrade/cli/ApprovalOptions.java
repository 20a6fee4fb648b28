package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.approval.PreApprovedGate;
import io.github.flowupgrade.upgrade.approval.TerminalApprovalGate;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The streaming restart's policy and its approval ({@code @Mixin ApprovalOptions approval;}): {@code --approved-by}
 * for pipelines, a prompt on a terminal, otherwise the restart stays pending and the run still exits 0.
 */
public final class ApprovalOptions {
    @Option(
            names = "--streaming",
            paramLabel = "never|if-needed|always",
            description = "When to restart streaming (disconnects every client): never, if-needed (the release"
                    + " notes or the checked-out changes say so) or always. Default: if-needed.")
    String streaming;

    @Option(
            names = "--approved-by",
            paramLabel = "NAME",
            description = "Who approved the streaming restart (recorded in the audit trail). Without it, a terminal"
                    + " asks for the host name to be typed back; with no terminal the restart stays pending"
                    + " (exit 0).")
    String approvedBy;

    @Option(names = "--no-prompt", description = "Never prompt, even on a terminal (pending without --approved-by).")
    boolean noPrompt;

    @Option(
            names = "--approval-timeout",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "How long a terminal prompt waits for an answer (default: ${DEFAULT-VALUE}).")
    int approvalTimeout;

    /** Tests and the demo set this to decide as if a terminal were (or were not) attached. */
    Boolean interactiveOverride;

    public StreamingPolicy policy() {
        return StreamingPolicy.parse(streaming);
    }

    /** {@code --streaming} as given, or null when it was not. */
    String streamingGiven() {
        return streaming;
    }

    public void validate() {
        policy();
        if (approvedBy != null) {
            new PreApprovedGate(approvedBy, Clock.systemUTC());
        }
        if (approvalTimeout < 1 || approvalTimeout > 86_400) {
            throw FlowException.badInput("--approval-timeout must be 1 to 86400 seconds, not " + approvalTimeout);
        }
    }

    /** Whether a human can be asked here. */
    public boolean interactive() {
        if (noPrompt) {
            return false;
        }
        return interactiveOverride != null ? interactiveOverride : System.console() != null;
    }

    /** The gate for the streaming restart. */
    public ApprovalGate streamingGate(String actor, PrintWriter prompt) {
        if (approvedBy != null) {
            return new PreApprovedGate(approvedBy, Clock.systemUTC());
        }
        return promptOrPending(actor, prompt);
    }

    /** The gate for the release notes' manual steps (without {@code --confirm-manual}): a prompt, or nothing. */
    public ApprovalGate promptOrPending(String actor, PrintWriter prompt) {
        if (!interactive()) {
            return new NoApprovalGate();
        }
        return new TerminalApprovalGate(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                prompt,
                actor,
                Duration.ofSeconds(approvalTimeout),
                Clock.systemUTC());
    }
}
