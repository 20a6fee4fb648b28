package io.github.flowupgrade.remote;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.commands.TimeLimit;
import java.time.Duration;
import java.util.List;

/**
 * One host as the operations see it: runs commands as the application user or as root (as {@link RunAs} says), each
 * under the per-command time limit, and records every one in the audit log. The time limit sits closest to the real
 * work: a limit around {@code su} would stop {@code su} but not the commands it started.
 */
public final class HostShell {
    private final Transport transport;
    private final String login;
    private final RunAs runAs;
    private final Duration commandTimeout;
    private final RecordedTransport recorded;
    private final OutputSink sink;

    public HostShell(
            Transport transport, String login, RunAs runAs, Duration commandTimeout, AuditLog audit, OutputSink sink) {
        this.transport = transport;
        this.login = login;
        this.runAs = runAs;
        this.commandTimeout = commandTimeout;
        this.recorded = new RecordedTransport(transport, login, audit);
        this.sink = sink;
    }

    public String host() {
        return transport.host();
    }

    public boolean executes() {
        return transport.executes();
    }

    public RunAs runAs() {
        return runAs;
    }

    /** Runs {@code command} as the application user. */
    public ExecResult app(Command command) {
        return run(command, runAs.app(TimeLimit.wrap(command, commandTimeout)), runAs.appUser());
    }

    /**
     * Runs a batch's commands as the application user, each under the command timeout, in one round trip. A dry run
     * shows each command on its own.
     *
     * @return one result per command; null for a command that never started because a required one failed
     */
    public List<ExecResult> app(Batch batch) {
        if (!executes()) {
            return batch.steps().stream().map(step -> app(step.command())).toList();
        }
        Batch limited = new Batch();
        for (Batch.Step step : batch.steps()) {
            Command command = TimeLimit.wrap(step.command(), commandTimeout);
            if (step.required()) {
                limited.require(command, runAs.appUser());
            } else {
                limited.run(command, runAs.appUser());
            }
        }
        return recorded.runBatch(limited, runAs.app(limited.script()), commandTimeout);
    }

    /** Runs {@code command} as the application user and returns its standard output; fails if it fails. */
    public String appOutput(Command command, String step) {
        ExecResult result = app(command);
        if (!result.succeeded()) {
            throw failure(step, command, result);
        }
        return result.stdout();
    }

    /** The error for a command that failed: the step, the host, the command, how it ended and its last errors. */
    public FlowException failure(String step, Command command, ExecResult result) {
        if (RunAs.sudoWantedPassword(result.stderrTail())) {
            return FlowException.remoteFailed(step + " on " + host() + ": sudo asked " + login
                    + " for a password (sudo -n never prompts). Allow " + login + " to run the commands without a"
                    + " password (the sudoers lines are in docs/checkout.md) or use another --as mode");
        }
        String how = result.timedOut()
                ? "timed out: it was stopped after the " + commandTimeout.toSeconds()
                        + " s command timeout (--command-timeout)"
                : "exited with status " + result.exitCode();
        String errors =
                result.stderrTail().isBlank() ? "" : ":\n" + result.stderrTail().strip();
        return FlowException.remoteFailed(
                step + " failed on " + host() + ": `" + command.redacted() + "` " + how + errors);
    }

    private ExecResult run(Command command, Command wrapped, String effectiveUser) {
        // Without a wrapper the transport applies the limit itself; with one, the limit inside it does.
        boolean direct =
                wrapped.line().equals(TimeLimit.wrap(command, commandTimeout).line());
        return recorded.run(direct ? command : wrapped, effectiveUser, commandTimeout, !direct, sink);
    }
}
