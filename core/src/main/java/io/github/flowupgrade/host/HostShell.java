package io.github.flowupgrade.host;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.commands.TimeLimit;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every operation runs commands on a host: as the login, the application user or root (as {@link RunAs}
 * says); each under a time limit enforced on the host, innermost, so {@code su} or {@code sudo} cannot shield the real
 * work from it; several in one round trip as a {@link Batch}; each recorded in the audit trail as if it ran alone;
 * long ones (tasks) streamed to the console line by line, prefixed with the host. Failures are worded here once.
 */
public final class HostShell {
    private static final Logger LOG = LoggerFactory.getLogger(HostShell.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** Once a run was stopped from outside, its cleanup (unlock, checking out back) may take this long per command. */
    static final Duration CLEANUP_LIMIT = Duration.ofSeconds(30);

    /** Who a command runs as on the host. */
    public enum As {
        LOGIN,
        ROOT,
        APP
    }

    /**
     * One command of a {@link #batch}.
     *
     * @param required whether a failure stops the commands after it
     */
    public record Step(As as, Command command, Duration timeout, boolean required) {
        public static Step of(As as, Command command, Duration timeout) {
            return new Step(as, command, timeout, false);
        }

        public static Step required(As as, Command command, Duration timeout) {
            return new Step(as, command, timeout, true);
        }
    }

    private final HostAccess access;
    private final Duration commandTimeout;
    private final AuditLog audit;
    private final Console console;
    private final RecordedTransport recorded;
    private volatile boolean stopped;

    /**
     * @param commandTimeout the limit of a quick command ({@link #app(Command)}, {@link #app(Batch)})
     */
    public HostShell(HostAccess access, Duration commandTimeout, AuditLog audit, Console console) {
        this.access = access;
        this.commandTimeout = commandTimeout;
        this.audit = audit;
        this.console = console;
        this.recorded = new RecordedTransport(access.transport(), access.loginUser(), audit);
    }

    public HostAccess access() {
        return access;
    }

    public String host() {
        return access.host();
    }

    public RunAs runAs() {
        return access.runAs();
    }

    public Console console() {
        return console;
    }

    public AuditLog audit() {
        return audit;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Whether commands really run (false for a dry run, whose results are invented successes). */
    public boolean executes() {
        return access.transport().executes();
    }

    /** Runs a quick command as the application user, quietly; the caller judges the exit code. */
    public ExecResult app(Command command) {
        return run(As.APP, command, commandTimeout);
    }

    /**
     * Runs a batch's commands as the application user, each under the quick-command limit, in one round trip.
     *
     * @return one result per command; null for a command that never started because a required one failed
     */
    public List<ExecResult> app(Batch batch) {
        return batch(appSteps(batch));
    }

    /** A batch's commands as steps for the application user under the quick-command limit, to send in a batch. */
    public List<Step> appSteps(Batch batch) {
        return batch.steps().stream()
                .map(step -> new Step(As.APP, step.command(), commandTimeout, step.required()))
                .toList();
    }

    /** Runs {@code command} as the application user and returns its standard output; fails if it fails. */
    public String appOutput(Command command, String what) {
        ExecResult result = app(command);
        if (!result.succeeded()) {
            throw failure(what, command, result);
        }
        return result.stdout();
    }

    /**
     * Runs several commands in one round trip, each as its own user under its own limit, each recorded in the audit
     * trail as if it ran alone. A dry run shows them one by one.
     *
     * @return one result per step; null for a step that never started because a required one before it failed
     */
    public List<ExecResult> batch(List<Step> steps) {
        steps = steps.stream()
                .map(step -> new Step(step.as(), step.command(), bounded(step.timeout()), step.required()))
                .toList();
        if (!executes()) {
            return steps.stream()
                    .map(step -> run(step.as(), step.command(), step.timeout()))
                    .toList();
        }
        // Commands all for the application user go through one su/sudo around the whole script, not one each.
        boolean allApp = steps.stream().allMatch(step -> step.as() == As.APP);
        String marker = TimeLimit.newMarker();
        Batch batch = new Batch();
        Duration limit = Duration.ZERO;
        for (Step step : steps) {
            Command sent = allApp
                    ? TimeLimit.wrap(step.command(), step.timeout(), marker)
                    : limited(step.as(), step.command(), step.timeout(), marker);
            if (step.required()) {
                batch.require(sent, userOf(step.as()));
            } else {
                batch.run(sent, userOf(step.as()));
            }
            limit = step.timeout().compareTo(limit) > 0 ? step.timeout() : limit;
        }
        try {
            return recorded.runBatch(batch, allApp ? wrapped(As.APP, batch.script()) : batch.script(), limit);
        } catch (FlowException e) {
            throw stopOnHost(e, marker);
        }
    }

    /** Runs quietly (output kept in the result only; standard error also to the debug log). */
    public ExecResult run(As as, Command command, Duration timeout) {
        return run(as, command, timeout, (stream, line) -> {
            if (stream == OutputSink.Stream.STDERR) {
                LOG.debug("[{}] {}", host(), line);
            }
        });
    }

    /** Runs with every output line shown on the console as it arrives. */
    public ExecResult stream(As as, Command command, Duration timeout) {
        String prefix = "  [" + host() + "] | ";
        return run(as, command, timeout, (stream, line) -> console.info(prefix + line));
    }

    /** {@link #stream(As, Command, Duration)} that also hands every line to {@code tee} (to count or parse it). */
    public ExecResult stream(As as, Command command, Duration timeout, OutputSink tee) {
        String prefix = "  [" + host() + "] | ";
        return run(as, command, timeout, (stream, line) -> {
            console.info(prefix + line);
            tee.line(stream, line);
        });
    }

    /** What {@code command} looks like on the wire when run {@code as}, for error messages and dry runs. */
    public Command wrapped(As as, Command command) {
        return switch (as) {
            case LOGIN -> command;
            case ROOT -> access.runAs().root(command);
            case APP -> access.runAs().app(command);
        };
    }

    /** The error for a command that failed: the step, the host, how it ended, the command and its last errors. */
    public FlowException failure(String what, Command command, ExecResult result) {
        return failure(what, command, result, Option.COMMAND_TIMEOUT, commandTimeout);
    }

    /**
     * {@link #failure(String, Command, ExecResult)} for a command that ran under another limit than the quick-command
     * one: a timeout names {@code setting} when the command used all of {@code limit}.
     */
    public FlowException failure(String what, Command command, ExecResult result, Option setting, Duration limit) {
        if (RunAs.sudoWantedPassword(result.stderrTail())) {
            return FlowException.remoteFailed(what + " on " + host() + ": sudo asked " + access.loginUser()
                    + " for a password (sudo -n never prompts). Allow " + access.loginUser() + " to run it without a"
                    + " password (the sudoers lines are in docs/checkout.md), or choose another "
                    + Option.AS.named() + " mode.\n  command: " + command.redacted());
        }
        String why;
        if (!result.timedOut()) {
            why = "exited with status " + result.exitCode();
        } else if (result.durationMs() >= limit.toMillis()) {
            why = "timed out: it was stopped after the " + limit.toSeconds() + " s limit (" + setting.named() + ")";
        } else {
            why = "timed out: it was stopped after " + Math.max(1, result.durationMs() / 1000) + " s, its time limit";
        }
        String stderr = result.stderrTail() == null || result.stderrTail().isBlank()
                ? ""
                : "\n" + result.stderrTail().strip();
        return FlowException.remoteFailed(
                what + " failed on " + host() + ": " + why + "\n  command: " + command.redacted() + stderr);
    }

    private String userOf(As as) {
        return switch (as) {
            case LOGIN -> access.loginUser();
            case ROOT -> "root";
            case APP -> access.appUser();
        };
    }

    private ExecResult run(As as, Command command, Duration timeout, OutputSink sink) {
        String marker = executes() ? TimeLimit.newMarker() : null;
        Duration limit = bounded(timeout);
        try {
            return recorded.run(limited(as, command, limit, marker), userOf(as), limit, sink);
        } catch (FlowException e) {
            throw stopOnHost(e, marker);
        }
    }

    /** A command's limit: as asked, or at most {@link #CLEANUP_LIMIT} once the run was stopped from outside. */
    private Duration bounded(Duration timeout) {
        return stopped && timeout.compareTo(CLEANUP_LIMIT) > 0 ? CLEANUP_LIMIT : timeout;
    }

    /**
     * {@code command} as it goes on the wire: the time limit innermost, so su or sudo cannot shield the real work from
     * it; root actions (plain argv such as {@code systemctl restart mastodon-web}) limited outside {@code sudo -n},
     * so narrow sudoers rules naming exact commands still match.
     */
    private Command limited(As as, Command command, Duration timeout, String marker) {
        if (!executes()) {
            // A dry run shows each command as it runs, without the time limit it also runs under.
            return wrapped(as, command);
        }
        return as == As.ROOT
                ? TimeLimit.wrap(wrapped(As.ROOT, command), timeout, marker)
                : wrapped(as, TimeLimit.wrap(command, timeout, marker));
    }

    /**
     * After a run was stopped from outside (an aborted build, Ctrl-C), the command it was waiting for is still running
     * on the host: closing the channel does not end it. Stops it there by its marker, as the user who can (root for a
     * root login, else the application user, who owns the long commands), and returns the original failure.
     */
    private FlowException stopOnHost(FlowException failure, String marker) {
        if (marker == null || !Interruption.stoppedBy(failure)) {
            return failure;
        }
        stopped = true;
        As as = "root".equals(access.loginUser()) ? As.LOGIN : As.APP;
        Command stop = wrapped(as, TimeLimit.wrap(TimeLimit.stop(marker), STOP_TIMEOUT));
        try {
            ExecResult stopped = recorded.run(stop, userOf(as), STOP_TIMEOUT, OutputSink.discard());
            if (!stopped.succeeded()) {
                console.warn("[" + host() + "] could not stop the interrupted command on the host (" + marker
                        + "): exit status " + stopped.exitCode() + "; it ends at its own time limit");
            }
        } catch (FlowException e) {
            console.warn("[" + host() + "] could not stop the interrupted command on the host (" + marker + "): "
                    + e.getMessage() + "; it ends at its own time limit");
        }
        return failure;
    }
}
