package io.github.flowupgrade.host;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.TimeLimit;
import io.github.flowupgrade.remote.BatchOutput;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
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
     * @param limit the time limit {@code sent} carries on the host; the transport waits a little longer, as a backstop
     */
    public ExecResult run(Command sent, String effectiveUser, Duration limit, OutputSink out) {
        Instant started = Instant.now();
        ExecResult result;
        try {
            result = transport.run(sent, out, limit.plus(OUTER_MARGIN));
        } catch (FlowException e) {
            long ms = Duration.between(started, Instant.now()).toMillis();
            record(sent, effectiveUser, started, new ExecResult(-1, "", "", 0, "", ms, false), e.getMessage());
            throw e;
        }
        if (!result.timedOut() && TimeLimit.stopped(result.exitCode(), Duration.ofMillis(result.durationMs()), limit)) {
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

    /**
     * Runs a {@link Batch} as one remote command and records each of its commands as if it had run alone.
     *
     * @param sent the batch's script as sent (wrapped for its user, if any)
     * @param stepLimit the time limit inside the script around each command
     * @return one result per command; null for those that never started
     */
    public List<ExecResult> runBatch(Batch batch, Command sent, Duration stepLimit) {
        BatchOutput split = new BatchOutput(batch);
        Instant started = Instant.now();
        Duration whole = stepLimit.plus(OUTER_MARGIN).multipliedBy(batch.size());
        ExecResult result;
        try {
            result = transport.run(sent, split, whole);
        } catch (FlowException e) {
            long ms = Duration.between(started, Instant.now()).toMillis();
            List<ExecResult> done = split.results(new ExecResult(-1, "", "", 0, "", ms, false), stepLimit);
            recordSteps(batch, done, started, true, e.getMessage());
            FlowException named = namingTheStep(e, batch, sent, done);
            throw new BatchLostException(named, done);
        }
        List<ExecResult> results = split.results(result, stepLimit);
        recordSteps(batch, results, started, false, null);
        return results;
    }

    /** A batch cut off by a lost connection, with the results of the commands that completed before it. */
    public static final class BatchLostException extends FlowException {
        private final transient List<ExecResult> completed;

        BatchLostException(FlowException cause, List<ExecResult> completed) {
            super(cause.exitCode(), cause.getMessage(), cause);
            this.completed = completed;
        }

        /** Whether command {@code index} of the batch completed successfully before the connection was lost. */
        public boolean succeeded(int index) {
            ExecResult result = completed.get(index);
            return result != null && result.succeeded();
        }
    }

    /**
     * The transport's error names the whole script; the user needs the command it was running, and the ones sent
     * with it whose fate is unknown.
     */
    private static FlowException namingTheStep(FlowException e, Batch batch, Command sent, List<ExecResult> done) {
        int running = firstUnconfirmed(done);
        if (running < 0 || e.getMessage() == null || !e.getMessage().contains(sent.redacted())) {
            return e;
        }
        List<Batch.Step> steps = batch.steps();
        StringBuilder message = new StringBuilder(e.getMessage()
                .replace(sent.redacted(), steps.get(running).command().redacted()));
        message.append(" (command ")
                .append(running + 1)
                .append(" of ")
                .append(batch.size())
                .append(" sent together; those before it completed");
        if (running + 1 < steps.size()) {
            message.append("; not known to have run: ");
            for (int i = running + 1; i < steps.size(); i++) {
                message.append(i > running + 1 ? ", `" : "`")
                        .append(steps.get(i).command().redacted())
                        .append('`');
            }
        }
        return new FlowException(e.exitCode(), message.append(')').toString(), e);
    }

    /** The first command without a result of its own: the one the script was running when it was cut off. */
    private static int firstUnconfirmed(List<ExecResult> done) {
        for (int i = 0; i < done.size(); i++) {
            if (done.get(i) == null || done.get(i).exitCode() == -1) {
                return i;
            }
        }
        return -1;
    }

    private void recordSteps(Batch batch, List<ExecResult> results, Instant started, boolean lost, String error) {
        Instant at = started;
        int cutOff = lost ? firstUnconfirmed(results) : -1;
        for (int i = 0; i < results.size(); i++) {
            ExecResult r = results.get(i);
            boolean unknown = cutOff >= 0 && i >= cutOff;
            if (r == null && !unknown) {
                continue;
            }
            if (r == null) {
                r = new ExecResult(-1, "", "", 0, "", 0, false);
            }
            Batch.Step step = batch.steps().get(i);
            Map<String, Object> fields =
                    new LinkedHashMap<>(AuditEvents.command(transport.host(), step.user(), step.command(), at, r));
            fields.put("login", login);
            fields.put("batch", batch.nonce().substring(batch.nonce().length() - 8) + "#" + i);
            if (unknown) {
                fields.put(
                        "error",
                        i == cutOff
                                ? error
                                : "the connection was lost before its result arrived: not known whether it ran");
            }
            audit.record(AuditEvents.COMMAND, fields);
            at = at.plusMillis(r.durationMs());
        }
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
