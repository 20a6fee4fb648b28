package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.EnvironmentApproval;
import io.github.flowupgrade.upgrade.approval.GitHubEnvironmentGate;
import io.github.flowupgrade.upgrade.approval.GitHubRun;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.approval.PreApprovedGate;
import io.github.flowupgrade.upgrade.approval.TerminalApprovalGate;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The streaming restart's policy and its approval ({@code @Mixin ApprovalOptions approval;}): {@code --approved-by}
 * for pipelines, {@code --approval-environment} on GitHub Actions (the approval read from the run, proven before any
 * host is touched), a prompt on a terminal, otherwise the restart stays pending and the run still exits 0.
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

    @Option(
            names = "--approval-environment",
            paramLabel = "NAME",
            description = "GitHub Actions: restart streaming only if this protected environment was approved in the"
                    + " workflow run flow runs in. flow reads the run's approvals from GitHub's API ($GITHUB_RUN_ID,"
                    + " $GITHUB_REPOSITORY, $GITHUB_API_URL; the token from --token-env, with permissions: actions:"
                    + " read) and records the reviewers; without that approval it refuses (exit 3) before touching"
                    + " any host. Instead of --approved-by.")
    String approvalEnvironment;

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

    /** The environment the GitHub run is read from; tests replace it. */
    Map<String, String> env = System.getenv();

    /** The gate {@link #proveEnvironment} proved, for the streaming restart. */
    private GitHubEnvironmentGate environmentGate;

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
        if (approvalEnvironment != null) {
            if (approvedBy != null) {
                throw FlowException.badInput("give either --approved-by or --approval-environment, not both: the"
                        + " environment's approval names its reviewers itself");
            }
            GitHubEnvironmentGate.checkEnvironment(approvalEnvironment);
            GitHubRun.fromEnvironment(env);
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

    /**
     * With {@code --approval-environment}: refuses (exit 2) before the trail starts when there is no token to read the
     * run's approvals with, or it would go over plain http to another machine.
     */
    void checkToken(String token) {
        if (approvalEnvironment != null) {
            GitHubEnvironmentGate.settings(GitHubRun.fromEnvironment(env), token, null, null);
        }
    }

    /**
     * With {@code --approval-environment}: reads the run's approvals and proves that environment's, recording the
     * requests and the decision in {@code log}; refuses (exit 3) without it. Called before any host is reached, once
     * the trail is open. Nothing without the option.
     *
     * @param token the token {@code --token-env} named, or null (then refused, exit 2)
     */
    void proveEnvironment(String token, String tokenSource, Path cacheDir, AuditLog log, Console console) {
        if (approvalEnvironment == null) {
            return;
        }
        GitHubRun run = GitHubRun.fromEnvironment(env);
        GitHubEnvironmentGate gate = new GitHubEnvironmentGate(
                approvalEnvironment,
                run,
                GitHubEnvironmentGate.settings(run, token, tokenSource, cacheDir),
                log,
                Clock.systemUTC());
        console.info("Reading the approvals of GitHub " + run.describe() + " from " + run.apiUrl());
        EnvironmentApproval approval = gate.prove();
        console.info("GitHub environment " + gate.environment() + " approved in " + run.describe() + " by "
                + approval.approvedBy());
        environmentGate = gate;
    }

    /** The gate for the streaming restart. */
    public ApprovalGate streamingGate(String actor, PrintWriter prompt) {
        if (approvalEnvironment != null) {
            if (environmentGate == null) {
                throw new IllegalStateException("the environment's approval is proven before any host is reached");
            }
            return environmentGate;
        }
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
