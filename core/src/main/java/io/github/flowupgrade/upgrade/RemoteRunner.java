package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.commands.TimeLimit;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the upgrade's commands on one host: as the login, the application user or root; each under a time limit
 * enforced on the host (innermost, so {@code su} or {@code sudo} cannot shield the real work from it); each recorded
 * in the audit trail; long ones (tasks) streamed to the console line by line, prefixed with the host.
 */
public final class RemoteRunner {
    private static final Duration OUTER_MARGIN = Duration.ofSeconds(TimeLimit.KILL_AFTER_SECONDS + 2);

    /** Who a command runs as on the host. */
    public enum As {
        LOGIN,
        ROOT,
        APP
    }

    private final HostAccess access;
    private final AuditLog audit;
    private final Console console;

    public RemoteRunner(HostAccess access, AuditLog audit, Console console) {
        this.access = access;
        this.audit = audit;
        this.console = console;
    }

    public HostAccess access() {
        return access;
    }

    public String host() {
        return access.host();
    }

    public Console console() {
        return console;
    }

    public AuditLog audit() {
        return audit;
    }

    public boolean executes() {
        return access.transport().executes();
    }

    /** Runs quietly (output kept in the result only); the caller judges the exit code. */
    public ExecResult run(As as, Command command, Duration timeout) {
        return run(as, command, timeout, OutputSink.discard());
    }

    /** Runs with every output line shown on the console as it arrives. */
    public ExecResult stream(As as, Command command, Duration timeout) {
        String prefix = "  [" + host() + "] | ";
        return run(as, command, timeout, (stream, line) -> console.info(prefix + line));
    }

    /** What {@code command} looks like on the wire when run {@code as}, for error messages and dry runs. */
    public Command wrapped(As as, Command command) {
        RunAs runAs = access.runAs();
        return switch (as) {
            case LOGIN -> command;
            case ROOT ->
                runAs instanceof RunAs.Su
                        ? command
                        : new Command("sudo -n " + command.line(), "sudo -n " + command.redacted());
            case APP -> runAs.app(command);
        };
    }

    public FlowException failure(String what, Command command, ExecResult result) {
        if (RunAs.sudoWantedPassword(result.stderrTail())) {
            return FlowException.remoteFailed(what + " on " + host() + ": sudo asked " + access.loginUser()
                    + " for a password (sudo -n never prompts). Allow " + access.loginUser() + " to run it without a"
                    + " password, or use another --as mode.\n  command: " + command.redacted());
        }
        String why = result.timedOut()
                ? "timed out after " + result.durationMs() + " ms"
                : "exited with status " + result.exitCode();
        String stderr = result.stderrTail() == null || result.stderrTail().isBlank()
                ? ""
                : "\n" + result.stderrTail().strip();
        return FlowException.remoteFailed(
                what + " failed on " + host() + ": " + why + "\n  command: " + command.redacted() + stderr);
    }

    private ExecResult run(As as, Command command, Duration timeout, OutputSink sink) {
        String user = switch (as) {
            case LOGIN -> access.loginUser();
            case ROOT -> "root";
            case APP -> access.appUser();
        };
        if (as == As.ROOT && !(access.runAs() instanceof RunAs.Su)) {
            // Root actions here are plain argv commands (systemctl, journalctl). Sent as "sudo -n systemctl ...",
            // not through a shell, they match narrow sudoers rules such as "deploy ALL=(root) NOPASSWD:
            // /usr/bin/systemctl restart mastodon-web"; the transport puts its time limit around sudo.
            return send(wrapped(as, command), user, timeout, sink);
        }
        Command limited = TimeLimit.wrap(command, timeout);
        Command wrapped = wrapped(as, limited);
        // Unwrapped, the transport applies the limit itself; wrapped, the inner limit does and the transport's is a
        // backstop.
        boolean direct = wrapped.line().equals(limited.line());
        return send(direct ? command : wrapped, user, direct ? timeout : timeout.plus(OUTER_MARGIN), sink);
    }

    private ExecResult send(Command sent, String user, Duration limit, OutputSink sink) {
        Instant started = Instant.now();
        ExecResult result;
        try {
            result = access.transport().run(sent, sink, limit);
        } catch (FlowException e) {
            long ms = Duration.between(started, Instant.now()).toMillis();
            record(sent, user, started, new ExecResult(-1, "", "", 0, "", ms, false), e.getMessage());
            throw e;
        }
        record(sent, user, started, result, null);
        return result;
    }

    private void record(Command sent, String user, Instant started, ExecResult result, String error) {
        if (!executes()) {
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>(AuditEvents.command(host(), user, sent, started, result));
        fields.put("login", access.loginUser());
        if (error != null) {
            fields.put("error", error);
        }
        audit.record(AuditEvents.COMMAND, fields);
    }
}
