package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.HealthCommands;
import io.github.flowupgrade.commands.SystemctlCommands;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.remote.ExecResult;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Restarts or reloads one unit and proves it came back: active, on a new main PID after a restart (a reload may keep
 * it), and its health endpoint answering the expected body, all within a deadline. A unit that does not come back
 * fails with its {@code systemctl status} and last journal lines in the error.
 */
public final class ServiceRestarter {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration PROBE_TIME = Duration.ofSeconds(5);

    private final HostShell shell;
    private final RestartTimeouts timeouts;
    private final String expectedBody;

    public ServiceRestarter(HostShell shell, RestartTimeouts timeouts, String expectedBody) {
        this.shell = shell;
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
     * A unit without a health endpoint (sidekiq) that came back on a new process: it must still run that process
     * when it is checked again, with the next batch of commands and at the end of the run ({@link #verifySettled}).
     */
    private record Settling(
            String role,
            String unit,
            ServiceAction action,
            UnitState before,
            UnitState after,
            long sinceNanos,
            long durationMs) {}

    private final List<Settling> settling = new ArrayList<>();

    /**
     * Restarts or reloads {@code unit} and waits until it is back. One round trip when it comes back at once: its
     * state, the action, its state again and the health probe travel as one batch; only a unit still on its way
     * back is polled further.
     *
     * @param role the unit's role, for messages and the result
     * @param healthUrl probed on the host until it answers, or null for a unit without one (sidekiq)
     */
    public ServiceOutcome apply(String role, String unit, ServiceAction action, URI healthUrl) {
        return apply(role, unit, action, healthUrl, Trailing.NONE);
    }

    /**
     * Commands sent at the end of a unit's batch because nothing else needs the host afterwards (the run's unlock),
     * and what to do with their results, which is done before the unit is judged. A result is null for a command
     * that did not run (a required command before it failed).
     */
    public record Trailing(List<HostShell.Step> steps, Consumer<List<ExecResult>> done) {
        public static final Trailing NONE = new Trailing(List.of(), results -> {});
    }

    /** {@link #apply(String, String, ServiceAction, URI)} with {@code trailing} commands in the same round trip. */
    public ServiceOutcome apply(String role, String unit, ServiceAction action, URI healthUrl, Trailing trailing) {
        long start = System.nanoTime();
        List<HostShell.Step> steps = new ArrayList<>();
        List<Settling> due = settledBy(start);
        Plan plan = plan(new Unit(role, unit, action, healthUrl, trailing), units(due), false, steps)
                .checking(due);
        announce(plan.unit(), "");
        List<ExecResult> results = shell.batch(steps);
        plan.trailingDone(results);
        return judge(plan, results, start);
    }

    /** A unit's action and what it needs: its role, the action, its health endpoint (or null), trailing commands. */
    public record Unit(String role, String unit, ServiceAction action, URI healthUrl, Trailing trailing) {}

    /**
     * A unit whose action was sent in the round trip of the unit before it ({@link #applyWithNext}), with what came
     * back: {@link #ran()} false when the host did not get to it (the unit before was not active again at once), and
     * it must then go as {@link #apply} sends it.
     */
    public static final class Along {
        private final Unit unit;
        private Plan plan;
        private List<ExecResult> results;
        private long start;

        public Along(Unit unit) {
            this.unit = unit;
        }

        public Unit unit() {
            return unit;
        }

        public boolean ran() {
            return results != null;
        }
    }

    /**
     * {@link #apply} for {@code first}, with {@code next}'s action in the same round trip, behind a check on the host
     * that {@code first} is active again (a restart whose job finished leaves it so): two units in one round trip when
     * the first comes back at once. {@code first} is judged here; {@code next}, whose results {@code next} keeps, by
     * {@link #judge(Along)}. With no settle time, the batch ends by asking again for {@code first}'s state, which must
     * still be the process it came back on. {@code next} runs before the client has judged {@code first}: if that
     * judgement then fails, the error says so.
     */
    public ServiceOutcome applyWithNext(Unit first, Along next) {
        long start = System.nanoTime();
        List<HostShell.Step> steps = new ArrayList<>();
        List<Settling> due = settledBy(start);
        Plan firstPlan = plan(first, units(due), false, steps).checking(due);
        int guardAt = steps.size();
        steps.add(HostShell.Step.required(As.LOGIN, SystemctlCommands.isActive(first.unit()), QUERY_TIMEOUT));
        boolean askAgain = timeouts.settle().isZero() && first.healthUrl() == null;
        Plan nextPlan = plan(next.unit(), askAgain ? List.of(first.unit()) : List.of(), true, steps);
        announce(first, "");
        announce(next.unit(), " once " + first.unit() + " is active again (same round trip)");
        List<ExecResult> results = shell.batch(steps);
        firstPlan.trailingDone(results);
        ExecResult guard = results.get(guardAt);
        boolean nextRan = shell.executes() && guard != null && guard.succeeded();
        if (nextRan) {
            nextPlan.trailingDone(results);
            next.plan = nextPlan;
            next.results = results;
            next.start = start;
        }
        ServiceOutcome outcome;
        try {
            outcome = judge(firstPlan, results, start);
        } catch (ServiceFailedException e) {
            if (!nextRan) {
                throw e;
            }
            throw new ServiceFailedException(
                    e.getMessage() + "\n" + next.unit().unit() + " was already sent its "
                            + next.unit().action().verb()
                            + " in the same round trip (" + first.unit() + " was active on the host): its commands"
                            + " and results are in the audit trail.",
                    e.outcome());
        }
        if (nextRan && askAgain) {
            Settling settled = settling.stream()
                    .filter(s -> s.unit().equals(first.unit()))
                    .reduce((x, y) -> y)
                    .orElse(null);
            ExecResult backAt = results.get(firstPlan.stateAt());
            // The batch's last state read is a settle check only for the process the batch saw come back: a unit
            // that needed polling came back later, and is checked by the next batch or verifySettled as usual.
            boolean backInBatch = backAt != null
                    && backAt.succeeded()
                    && settled != null
                    && UnitState.parse(backAt.stdout()).mainPid()
                            == settled.after().mainPid();
            if (backInBatch) {
                settling.remove(settled);
                next.plan = next.plan.checking(List.of(settled));
            }
        }
        return outcome;
    }

    /** Judges a unit whose action went in the round trip before ({@link Along#ran()} must be true). */
    public ServiceOutcome judge(Along along) {
        if (!along.ran()) {
            throw new IllegalStateException(along.unit().unit() + " did not run along");
        }
        return judge(along.plan, along.results, along.start);
    }

    /**
     * Where a unit's commands sit in a batch.
     *
     * @param checked units restarted earlier that must still run the process they came back on, their states read
     *     from {@code checkedAt}
     * @param beforeAt its state before; then the action, its state again, and the health probe if it has one
     * @param trailingAt where the trailing commands start
     */
    private record Plan(Unit unit, List<Settling> checked, int checkedAt, int beforeAt, int trailingAt) {
        int actedAt() {
            return beforeAt + 1;
        }

        int stateAt() {
            return beforeAt + 2;
        }

        int healthAt() {
            return beforeAt + 3;
        }

        /** This plan, judging the states read from {@code checkedAt} as those of {@code units}. */
        Plan checking(List<Settling> units) {
            return new Plan(unit, List.copyOf(units), checkedAt, beforeAt, trailingAt);
        }

        void trailingDone(List<ExecResult> results) {
            int count = unit.trailing().steps().size();
            unit.trailing().done().accept(new ArrayList<>(results.subList(trailingAt, trailingAt + count)));
        }
    }

    /**
     * Adds {@code unit}'s commands to {@code steps}, with a state read of each of {@code asked} first, or after its
     * own commands (before the trailing ones) with {@code askedLast}. The plan judges none of those reads until told
     * whose they are ({@link Plan#checking}).
     */
    private Plan plan(Unit unit, List<String> asked, boolean askedLast, List<HostShell.Step> steps) {
        Command act = action(unit);
        int checkedAt = steps.size();
        if (!askedLast) {
            addStates(asked, steps);
        }
        int beforeAt = steps.size();
        steps.add(HostShell.Step.required(As.LOGIN, SystemctlCommands.state(unit.unit()), QUERY_TIMEOUT));
        steps.add(HostShell.Step.required(As.ROOT, act, timeouts.command()));
        steps.add(HostShell.Step.of(As.LOGIN, SystemctlCommands.state(unit.unit()), QUERY_TIMEOUT));
        if (unit.healthUrl() != null) {
            steps.add(HostShell.Step.of(As.LOGIN, HealthCommands.probe(unit.healthUrl(), PROBE_TIME), QUERY_TIMEOUT));
        }
        if (askedLast) {
            checkedAt = steps.size();
            addStates(asked, steps);
        }
        int trailingAt = steps.size();
        steps.addAll(unit.trailing().steps());
        return new Plan(unit, List.of(), checkedAt, beforeAt, trailingAt);
    }

    private static void addStates(List<String> units, List<HostShell.Step> steps) {
        for (String unit : units) {
            steps.add(HostShell.Step.of(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT));
        }
    }

    private static List<String> units(List<Settling> settling) {
        return settling.stream().map(Settling::unit).toList();
    }

    private static Command action(Unit unit) {
        return unit.action() == ServiceAction.RESTART
                ? SystemctlCommands.restart(unit.unit())
                : SystemctlCommands.reload(unit.unit());
    }

    private void announce(Unit unit, String when) {
        if (shell.executes()) {
            shell.console().info("[" + shell.host() + "] " + unit.action().verb() + " " + unit.unit() + when);
        }
    }

    /** What came back for {@code plan}'s unit: back as expected (polled further if on its way), or a failure. */
    private ServiceOutcome judge(Plan plan, List<ExecResult> results, long start) {
        Unit u = plan.unit();
        String role = u.role();
        String unit = u.unit();
        ServiceAction action = u.action();
        URI healthUrl = u.healthUrl();
        Command act = action(u);
        if (!shell.executes()) {
            return new ServiceOutcome(unit, role, action, "planned", null, null, false, 0);
        }
        // The units checked first were restarted earlier in the run: each must still be on its new process.
        for (int i = 0; i < plan.checked().size(); i++) {
            stayedUp(plan.checked().get(i), results.get(plan.checkedAt() + i));
        }
        ExecResult beforeResult = results.get(plan.beforeAt());
        if (!beforeResult.succeeded()) {
            throw shell.failure("reading the state of " + unit, SystemctlCommands.state(unit), beforeResult);
        }
        UnitState before = UnitState.parse(beforeResult.stdout());
        ExecResult acted = results.get(plan.actedAt());
        if (!acted.succeeded()) {
            throw didNotComeBack(
                    role,
                    unit,
                    action,
                    before,
                    null,
                    elapsedMs(start),
                    shell.failure("systemctl " + action.verb() + " " + unit, shell.wrapped(As.ROOT, act), acted)
                            .getMessage());
        }
        long deadline = System.nanoTime() + timeouts.comeBack().toNanos();
        ExecResult stateResult = results.get(plan.stateAt());
        UnitState now = stateResult.succeeded() ? UnitState.parse(stateResult.stdout()) : before;
        String lastProblem = stateResult.succeeded()
                ? problem(action, before, now, healthUrl, healthUrl == null ? null : results.get(plan.healthAt()))
                : "its state could not be read: " + stateResult.stderrTail().strip();
        while (lastProblem != null) {
            if (System.nanoTime() > deadline) {
                throw didNotComeBack(role, unit, action, before, now, elapsedMs(start), lastProblem);
            }
            sleep(timeouts.poll());
            now = state(unit);
            lastProblem = problem(action, before, now, healthUrl, null);
        }
        long durationMs = elapsedMs(start);
        ServiceOutcome outcome = new ServiceOutcome(
                unit, role, action, action.done(), before.mainPid(), now.mainPid(), true, durationMs);
        recordOutcome(outcome, null);
        if (healthUrl == null) {
            // Without a health endpoint, "stayed up" is only known later; a unit that did not is recorded then.
            settling.add(new Settling(role, unit, action, before, now, System.nanoTime(), durationMs));
        }
        shell.console()
                .info("[" + shell.host() + "] " + unit + " " + action.done() + ", main PID "
                        + before.mainPid() + " -> " + now.mainPid()
                        + (healthUrl == null ? "" : ", " + healthUrl + " healthy")
                        + " (" + durationMs + " ms)");
        return outcome;
    }

    /**
     * Checks that every unit restarted without a health endpoint still runs the process it came back on, once at
     * least the settle time has passed since its restart (waiting for the rest of it if needed). Call it last.
     */
    public void verifySettled() {
        if (settling.isEmpty() || !shell.executes()) {
            settling.clear();
            return;
        }
        long newest = settling.stream().mapToLong(Settling::sinceNanos).max().orElseThrow();
        long waitNanos = newest + timeouts.settle().toNanos() - System.nanoTime();
        if (waitNanos > 0) {
            sleep(Duration.ofNanos(waitNanos));
        }
        List<Settling> checked = List.copyOf(settling);
        settling.clear();
        List<HostShell.Step> steps = checked.stream()
                .map(s -> HostShell.Step.of(As.LOGIN, SystemctlCommands.state(s.unit()), QUERY_TIMEOUT))
                .toList();
        List<ExecResult> results = shell.batch(steps);
        for (int i = 0; i < checked.size(); i++) {
            stayedUp(checked.get(i), results.get(i));
        }
    }

    /** The units whose settle time has passed at {@code now}, taken off the list: the next batch checks them. */
    private List<Settling> settledBy(long now) {
        List<Settling> due = settling.stream()
                .filter(s -> now - s.sinceNanos() >= timeouts.settle().toNanos())
                .toList();
        settling.removeAll(due);
        return due;
    }

    private void stayedUp(Settling s, ExecResult result) {
        UnitState later = result.succeeded() ? UnitState.parse(result.stdout()) : null;
        String problem = later == null
                ? "its state could not be read: " + result.stderrTail().strip()
                : later.active() && later.mainPid() == s.after().mainPid()
                        ? null
                        : "did not stay up (main PID " + s.after().mainPid() + " then " + later.mainPid() + ", "
                                + later.activeState() + ")";
        long seconds = Duration.ofNanos(System.nanoTime() - s.sinceNanos()).toSeconds();
        if (problem != null) {
            throw didNotComeBack(
                    s.role(),
                    s.unit(),
                    s.action(),
                    s.before(),
                    later,
                    s.durationMs(),
                    problem + " within " + seconds + " s of its restart");
        }
    }

    /** Null when the unit is back as expected, else what is still wrong. */
    private String problem(ServiceAction action, UnitState before, UnitState now, URI healthUrl, ExecResult probed) {
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
            ExecResult probe = probed != null
                    ? probed
                    : shell.run(As.LOGIN, HealthCommands.probe(healthUrl, PROBE_TIME), QUERY_TIMEOUT);
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
        ExecResult result = shell.run(As.LOGIN, SystemctlCommands.state(unit), QUERY_TIMEOUT);
        if (!result.succeeded()) {
            throw shell.failure("reading the state of " + unit, SystemctlCommands.state(unit), result);
        }
        return UnitState.parse(result.stdout());
    }

    private FlowException didNotComeBack(
            String role, String unit, ServiceAction action, UnitState before, UnitState now, long ms, String why) {
        ServiceOutcome outcome = new ServiceOutcome(
                unit, role, action, "failed", before.mainPid(), now == null ? null : now.mainPid(), false, ms);
        recordOutcome(outcome, why);
        String status = shell.run(As.ROOT, SystemctlCommands.status(unit), QUERY_TIMEOUT)
                .stdout()
                .strip();
        String journal = shell.run(As.ROOT, SystemctlCommands.journal(unit), QUERY_TIMEOUT)
                .stdout()
                .strip();
        String message = unit + " did not come back after systemctl " + action.verb() + " on " + shell.host()
                + " within " + timeouts.comeBack().toSeconds() + " s: " + why
                + "\n--- systemctl status " + unit + " ---\n" + indent(status)
                + "\n--- journalctl -u " + unit + " (last " + SystemctlCommands.JOURNAL_LINES + " lines) ---\n"
                + indent(journal);
        return new ServiceFailedException(message, outcome);
    }

    private void recordOutcome(ServiceOutcome outcome, String problem) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.putAll(outcome.toMap());
        fields.put("problem", problem);
        shell.audit().record(AuditEvents.SERVICE_ACTION, fields);
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("host", shell.host());
        health.put("name", outcome.name());
        health.put("healthy", outcome.healthy());
        health.put("problem", problem);
        shell.audit().record(AuditEvents.SERVICE_HEALTH, health);
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
            throw Interruption.stop("waiting for a service to come back");
        }
    }
}
