package io.github.flowupgrade.remote;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.TimeLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends commands already wrapped for their user, under their time limit, and records each one in the audit log,
 * including those the connection lost. The one place both the checkout ({@link HostShell}) and the upgrade's runner
 * execute through.
 */
public final class RecordedTransport {
    /** How much longer than a limit enforced on the host the transport waits, as a backstop. */
    private static final Duration OUTER_MARGIN = Duration.ofSeconds(TimeLimit.KILL_AFTER_SECONDS + 2);

    private final Transport transport;
    private final String login;
    private final AuditLog audit;

    public RecordedTransport(Transport transport, String login, AuditLog audit) {
        this.transport = transport;
        this.login = login;
        this.audit = audit;
    }

    /**
     * Runs {@code sent} and records it as run by {@code effectiveUser}.
     *
     * @param limitedOnHost whether {@code sent} carries {@code timeout} inside its su/sudo wrapper: then that limit
     *     stops the command and the transport only waits a little longer as a backstop; otherwise the transport's
     *     limit is the only one
     */
    public ExecResult run(Command sent, String effectiveUser, Duration timeout, boolean limitedOnHost, OutputSink out) {
        Instant started = Instant.now();
        ExecResult result;
        try {
            result = transport.run(sent, out, limitedOnHost ? timeout.plus(OUTER_MARGIN) : timeout);
        } catch (FlowException e) {
            long ms = Duration.between(started, Instant.now()).toMillis();
            record(sent, effectiveUser, started, new ExecResult(-1, "", "", 0, "", ms, false), e.getMessage());
            throw e;
        }
        if (limitedOnHost
                && !result.timedOut()
                && TimeLimit.stopped(result.exitCode(), Duration.ofMillis(result.durationMs()), timeout)) {
            // The limit on the host stopped it; the transport only knew the longer backstop.
            result = new ExecResult(
                    result.exitCode(),
                    result.stdout(),
                    result.stderrTail(),
                    result.outputBytes(),
                    result.outputSha256(),
                    result.durationMs(),
                    true);
        }
        record(sent, effectiveUser, started, result, null);
        return result;
    }

    private void record(Command sent, String effectiveUser, Instant started, ExecResult result, String error) {
        if (!transport.executes()) {
            return;
        }
        Map<String, Object> fields =
                new LinkedHashMap<>(AuditEvents.command(transport.host(), effectiveUser, sent, started, result));
        fields.put("login", login);
        if (error != null) {
            fields.put("error", error);
        }
        audit.record(AuditEvents.COMMAND, fields);
    }
}
