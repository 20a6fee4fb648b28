package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.HealthCommands;
import io.github.flowupgrade.commands.SystemctlCommands;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.upgrade.RemoteRunner.As;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Restarts or reloads one unit and proves it came back: active, on a new main PID after a restart (a reload may keep
 * it), and its health endpoint answering the expected body, all within a deadline. A unit that does not come back
 * fails with its {@code systemctl status} and last journal lines in the error.
 */
public final class ServiceRestarter {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(15);

    private final RemoteRunner runner;
    private final RestartTimeouts timeouts;
    private final String expectedBody;

    public ServiceRestarter(RemoteRunner runner, RestartTimeouts timeouts, String expectedBody) {
        this.runner = runner;
        this.timeouts = timeouts;
        this.expectedBody = expectedBody;
    }

    /** What systemd says about a unit right now. */
    record UnitState(String activeState, String subState, long mainPid, long activeEnterMonotonic) {
        boolean active() {
            return "active".equals(activeState);
        }

        static UnitState parse(String showOutput) {
            Map<String, String> values = new HashMap<>();
            for (String line : showOutput.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(
                            line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            return new UnitState(
                    values.getOrDefault("ActiveState", "unknown"),
                    values.getOrDefault("SubState", "unknown"),
                    number(values.get("MainPID")),
                    number(values.get("ActiveEnterTimestampMonotonic")));
        }

        private static long number(String value) {
            try {
                return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /**
     * @param role the unit's role, for messages and the result
     * @param healthUrl probed on the host until it answers, or null for a unit without one (sidekiq)
     */
    public ServiceOutcome apply(String role, String unit, ServiceAction action, URI healthUrl) {
        long start = System.nanoTime();
        Command act =
                action == ServiceAction.RESTART ? SystemctlCommands.restart(unit) : SystemctlCommands.reload(unit);
        if (!runner.executes()) {
            runner.run(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT);
            runner.run(As.ROOT, act, timeouts.command());
            runner.run(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT);
            if (healthUrl != null) {
                runner.run(As.LOGIN, HealthCommands.probe(healthUrl, Duration.ofSeconds(5)), QUERY_TIMEOUT);
            }
            return new ServiceOutcome(unit, role, action, "planned", null, null, false, 0);
        }
        UnitState before = state(unit);
        runner.console()
                .info("[" + runner.host() + "] " + action.verb() + " " + unit + " (main PID " + before.mainPid() + ")");
        ExecResult acted = runner.run(As.ROOT, act, timeouts.command());
        if (!acted.succeeded()) {
            throw didNotComeBack(
                    role,
                    unit,
                    action,
                    before,
                    null,
                    elapsedMs(start),
                    runner.failure("systemctl " + action.verb() + " " + unit, runner.wrapped(As.ROOT, act), acted)
                            .getMessage());
        }
        long deadline = System.nanoTime() + timeouts.comeBack().toNanos();
        UnitState now = before;
        String lastProblem = "no check ran";
        while (true) {
            now = state(unit);
            lastProblem = problem(action, before, now, healthUrl);
            if (lastProblem == null && healthUrl == null) {
                // A unit without a health endpoint must stay up on the same process for a moment.
                sleep(timeouts.settle());
                UnitState later = state(unit);
                lastProblem = later.active() && later.mainPid() == now.mainPid()
                        ? null
                        : "did not stay up (main PID " + now.mainPid() + " then " + later.mainPid() + ", "
                                + later.activeState() + ")";
                now = later;
            }
            if (lastProblem == null) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw didNotComeBack(role, unit, action, before, now, elapsedMs(start), lastProblem);
            }
            sleep(timeouts.poll());
        }
        long durationMs = elapsedMs(start);
        ServiceOutcome outcome = new ServiceOutcome(
                unit, role, action, action.done(), before.mainPid(), now.mainPid(), true, durationMs);
        recordOutcome(outcome, null);
        runner.console()
                .info("[" + runner.host() + "] " + unit + " " + action.done() + ", main PID "
                        + before.mainPid() + " -> " + now.mainPid()
                        + (healthUrl == null ? "" : ", " + healthUrl + " healthy")
                        + " (" + durationMs + " ms)");
        return outcome;
    }

    /** Null when the unit is back as expected, else what is still wrong. */
    private String problem(ServiceAction action, UnitState before, UnitState now, URI healthUrl) {
        if (!now.active()) {
            return "is " + now.activeState() + " (" + now.subState() + ")";
        }
        if (now.mainPid() == 0) {
            return "has no main process";
        }
        if (action == ServiceAction.RESTART
                && now.mainPid() == before.mainPid()
                && now.activeEnterMonotonic() == before.activeEnterMonotonic()) {
            return "still runs its old process (main PID " + now.mainPid() + ")";
        }
        if (healthUrl != null) {
            ExecResult probe =
                    runner.run(As.LOGIN, HealthCommands.probe(healthUrl, Duration.ofSeconds(5)), QUERY_TIMEOUT);
            String body = probe.stdout() == null ? "" : probe.stdout().strip();
            if (!probe.succeeded()) {
                String err =
                        probe.stderrTail() == null ? "" : probe.stderrTail().strip();
                return healthUrl + " did not answer (curl exit " + probe.exitCode() + (err.isEmpty() ? "" : ": " + err)
                        + ")";
            }
            if (!body.equals(expectedBody)) {
                return healthUrl + " answered " + abbreviate(body) + " instead of " + expectedBody;
            }
        }
        return null;
    }

    private UnitState state(String unit) {
        // Reading the state needs no privilege: any user may ask systemd.
        ExecResult result = runner.run(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT);
        if (!result.succeeded()) {
            throw runner.failure("reading the state of " + unit, SystemctlCommands.state(unit), result);
        }
        return UnitState.parse(result.stdout());
    }

    private FlowException didNotComeBack(
            String role, String unit, ServiceAction action, UnitState before, UnitState now, long ms, String why) {
        ServiceOutcome outcome = new ServiceOutcome(
                unit, role, action, "failed", before.mainPid(), now == null ? null : now.mainPid(), false, ms);
        recordOutcome(outcome, why);
        String status = runner.run(As.ROOT, SystemctlCommands.status(unit), QUERY_TIMEOUT)
                .stdout()
                .strip();
        String journal = runner.run(As.ROOT, SystemctlCommands.journal(unit), QUERY_TIMEOUT)
                .stdout()
                .strip();
        String message = unit + " did not come back after systemctl " + action.verb() + " on " + runner.host()
                + " within " + timeouts.comeBack().toSeconds() + " s: " + why
                + "\n--- systemctl status " + unit + " ---\n" + indent(status)
                + "\n--- journalctl -u " + unit + " (last " + SystemctlCommands.JOURNAL_LINES + " lines) ---\n"
                + indent(journal);
        return new ServiceFailedException(message, outcome);
    }

    private void recordOutcome(ServiceOutcome outcome, String problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", runner.host());
        fields.putAll(outcome.toMap());
        fields.put("problem", problem);
        runner.audit().record(AuditEvents.SERVICE_ACTION, fields);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("host", runner.host());
        health.put("name", outcome.name());
        health.put("healthy", outcome.healthy());
        health.put("problem", problem);
        runner.audit().record(AuditEvents.SERVICE_HEALTH, health);
    }

    /** A unit that did not come back, with its outcome for the run's report. */
    public static final class ServiceFailedException extends FlowException {
        private final transient ServiceOutcome outcome;

        ServiceFailedException(String message, ServiceOutcome outcome) {
            super(ExitCode.REMOTE_COMMAND_FAILED, message);
            this.outcome = outcome;
        }

        public ServiceOutcome outcome() {
            return outcome;
        }
    }

    private static String indent(String text) {
        return text.isEmpty() ? "  (nothing)" : "  " + text.replace("\n", "\n  ");
    }

    private static String abbreviate(String body) {
        String oneLine = body.replace('\n', ' ');
        return "\"" + (oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine) + "\"";
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowException(ExitCode.REMOTE_COMMAND_FAILED, "interrupted while waiting for a service");
        }
    }
}
