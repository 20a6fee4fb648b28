package io.github.flowupgrade.upgrade.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.AppToolchain;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.HealthCommands;
import io.github.flowupgrade.commands.HistoryCommands;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.release.ManualItem;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.Requirements;
import io.github.flowupgrade.release.TaskKind;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Answer;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Approved;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The release's own upgrade steps on one host, as the application user in its directory with {@code
 * RAILS_ENV=production}: requirement checks before anything changes, {@code after-checkout} tasks (dependencies,
 * pre-deployment migrations, assets), {@code after-restart} tasks (post-deployment migrations), and the manual items a
 * human must confirm. Each task's output is streamed to the console and each is timed and audited.
 */
public final class UpgradeTasks {
    private static final Pattern VERSION = Pattern.compile("(\\d+(?:\\.\\d+)+|\\d+)");
    /** Task commands are constants of the release package; this only guards against a plan file with anything else. */
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_:=./-]+");

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** A task allowed longer than this runs detached, whatever its kind (a dropped connection must not end it). */
    static final Duration DETACH_THRESHOLD = Duration.ofMinutes(5);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostShell shell;
    private final Duration taskTimeout;
    private final Clock clock;
    private MigrationRecord migrationRecord;
    private boolean migrationsStarted;

    public UpgradeTasks(HostShell shell, Duration taskTimeout) {
        this(shell, taskTimeout, Clock.systemUTC());
    }

    public UpgradeTasks(HostShell shell, Duration taskTimeout, Clock clock) {
        this.shell = shell;
        this.taskTimeout = taskTimeout;
        this.clock = clock;
    }

    /**
     * What the host's history records when a migration starts, so a later rollback knows the schema moved on and
     * which backup restores it.
     *
     * @param actor who runs the upgrade
     * @param build the CI build, or null
     * @param backup the checked dump taken before the first migration, or null when none was taken
     */
    public record MigrationRecord(String actor, String build, String backup) {}

    /** Records each migration in the host's history (in the same round trip that starts it). */
    public UpgradeTasks recordMigrations(MigrationRecord record) {
        this.migrationRecord = record;
        return this;
    }

    /** Whether a database migration was started on the host by this object (it may have changed the schema). */
    public boolean migrationsStarted() {
        return migrationsStarted;
    }

    /** Whether a task is a database migration. */
    public static boolean migrates(PlanTask task) {
        return task.kind() == TaskKind.PRE_DEPLOYMENT_MIGRATIONS || task.kind() == TaskKind.POST_DEPLOYMENT_MIGRATIONS;
    }

    /** Whether a task runs detached: migrations, asset builds, {@code bundle install}, and any long-allowed one. */
    boolean detached(PlanTask task) {
        return migrates(task)
                || task.kind() == TaskKind.ASSETS_PRECOMPILE
                || task.kind() == TaskKind.BUNDLE_INSTALL
                || taskTimeout.compareTo(DETACH_THRESHOLD) > 0;
    }

    /** The command a task runs, before it is wrapped for the application user. */
    public static Command commandFor(PlanTask task, String appDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RAILS_ENV", "production");
        List<String> argv = new ArrayList<>();
        for (String word : task.command().strip().split("\\s+")) {
            if (!WORD.matcher(word).matches()) {
                throw FlowException.badInput("refusing to run an upgrade task with an unexpected word: " + word);
            }
            int eq = word.indexOf('=');
            if (argv.isEmpty() && eq > 0 && word.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
                env.put(word.substring(0, eq), word.substring(eq + 1));
            } else {
                argv.add(word);
            }
        }
        if (argv.isEmpty()) {
            throw FlowException.badInput("upgrade task without a command: " + task.command());
        }
        return AppToolchain.onPath(Command.of(argv).withEnv(env)).in(appDir);
    }

    /**
     * Checks the plan's minimum versions on the host; refuses, before anything changed, when one is unmet or the tool
     * is missing.
     */
    public List<RequirementCheck> checkRequirements(Requirements required) {
        // One round trip for all of them: the probes are read-only and independent.
        List<String[]> wanted = new ArrayList<>();
        List<HostShell.Step> probes = new ArrayList<>();
        want(wanted, probes, "ruby", required.ruby(), HealthCommands.rubyVersion());
        want(wanted, probes, "nodejs", required.nodejs(), HealthCommands.nodeVersion());
        want(wanted, probes, "postgresql", required.postgresql(), HealthCommands.postgresqlVersion());
        want(wanted, probes, "redis", required.redis(), HealthCommands.redisVersion());
        List<RequirementCheck> checks = new ArrayList<>();
        List<ExecResult> results = probes.isEmpty() ? List.of() : shell.batch(probes);
        for (int i = 0; i < wanted.size(); i++) {
            ExecResult result = results.get(i);
            String found = result.succeeded() ? version(result.stdout()) : null;
            String minimum = wanted.get(i)[1];
            boolean met = !shell.executes() || (found != null && atLeast(found, minimum));
            checks.add(new RequirementCheck(wanted.get(i)[0], minimum, found, met));
        }
        List<RequirementCheck> unmet = checks.stream().filter(c -> !c.met()).toList();
        for (RequirementCheck c : checks) {
            shell.console()
                    .info("[" + shell.host() + "] requires " + c.dependency() + " >= " + c.required() + ": "
                            + (c.found() == null ? "not found" : c.found()) + (c.met() ? " ok" : " UNMET"));
        }
        if (!unmet.isEmpty() && shell.executes()) {
            StringBuilder message = new StringBuilder("the release requires newer dependencies than "
                    + shell.host() + " has (as " + shell.access().appUser() + " in "
                    + shell.access().appDir() + "); nothing was changed:");
            for (RequirementCheck c : unmet) {
                message.append("\n  ")
                        .append(c.dependency())
                        .append(": needs ")
                        .append(c.required())
                        .append(" or newer, found ")
                        .append(c.found() == null ? "none" : c.found());
            }
            message.append("\nUpgrade them as the release notes describe, then run the upgrade again.");
            throw FlowException.refused(message.toString());
        }
        return checks;
    }

    private void want(
            List<String[]> wanted, List<HostShell.Step> probes, String dependency, String required, Command probe) {
        if (required == null) {
            return;
        }
        wanted.add(new String[] {dependency, required});
        probes.add(HostShell.Step.of(
                As.APP, AppToolchain.onPath(probe).in(shell.access().appDir()), PROBE_TIMEOUT));
    }

    /** The first dotted version number in a tool's version line ({@code ruby 3.2.3 (...)}, {@code v20.11.1}). */
    static String version(String output) {
        if (output == null) {
            return null;
        }
        Matcher m = VERSION.matcher(output);
        return m.find() ? m.group(1) : null;
    }

    /** Compares the parts {@code required} names: 3.2.3 is at least 3.1; 18 is not at least 18.13. */
    static boolean atLeast(String found, String required) {
        String[] f = found.split("\\.");
        String[] r = required.split("\\.");
        for (int i = 0; i < r.length; i++) {
            long have = i < f.length ? Long.parseLong(f[i]) : 0;
            long need = Long.parseLong(r[i]);
            if (have != need) {
                return have > need;
            }
        }
        return true;
    }

    private ExecResult execute(String hop, String commit, PlanTask task, Command command) {
        Command prelude = null;
        if (migrates(task) && migrationRecord != null) {
            prelude = new HistoryCommands(HostLock.stateDir(shell.access().appDir()))
                    .append(migrationLine(hop, commit, task));
        }
        if (migrates(task) && shell.executes()) {
            // From here on the schema may have changed, even if the task fails or the connection drops.
            migrationsStarted = true;
        }
        if (!detached(task)) {
            return prelude == null
                    ? shell.stream(As.APP, command, taskTimeout)
                    : shell.stream(As.APP, prelude.and(command), taskTimeout);
        }
        DetachedTask detached = new DetachedTask(shell, clock);
        return detached.run(detached.newId(task.kind().name()), command, prelude, taskTimeout, OutputSink.discard());
    }

    private String migrationLine(String hop, String commit, PlanTask task) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("operation", "migrations");
        entry.put("tag", hop);
        entry.put("commit", commit);
        entry.put("task", task.command());
        entry.put("backup", migrationRecord.backup());
        entry.put("actor", migrationRecord.actor());
        entry.put("build", migrationRecord.build());
        try {
            return JSON.writeValueAsString(entry);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Goes on only when the manual items are confirmed in the request or the gate approves; otherwise refuses before
     * anything changed.
     *
     * @param listed whether the caller has shown the items already (with the plan, once per run); if not, they are
     *     shown here
     */
    public void confirmManual(
            List<ManualItem> manual, boolean confirmed, String confirmedBy, ApprovalGate gate, boolean listed) {
        if (manual.isEmpty()) {
            return;
        }
        if (!listed) {
            list(shell.console(), manual);
        }
        String by = confirmedBy;
        String how = Option.CONFIRM_MANUAL.neutral();
        if (!confirmed) {
            Answer answer = gate.ask(new ApprovalRequest(
                    shell.host(),
                    "continue the upgrade after the " + manual.size() + " manual step(s) above",
                    "the release notes ask for steps flow does not run",
                    manual.stream().map(ManualItem::release).distinct().toList()));
            if (!(answer instanceof Approved approved)) {
                throw FlowException.refused(manual.size() + " manual step(s) from the release notes are not"
                        + " confirmed; nothing was changed on " + shell.host() + ". Do them (or check they do not"
                        + " apply), then run again with " + Option.CONFIRM_MANUAL.set() + ".");
            }
            by = approved.by();
            how = "approval prompt";
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("by", by);
        fields.put("how", how);
        fields.put("items", manual.stream().map(ManualItem::toMap).toList());
        shell.audit().record(AuditEvents.MANUAL_CONFIRMED, fields);
    }

    /** Shows the manual items, each with the releases that ask for it. */
    public static void list(Console console, List<ManualItem> manual) {
        console.info("Manual steps the release notes ask for (not run by flow; do them yourself):");
        for (ManualItem item : manual) {
            console.info("  - [" + String.join(", ", item.releases()) + "] " + item.text());
        }
    }

    /** Runs the tasks of {@code phase}, in order; the first failure stops the run with its output's tail. */
    public List<TaskOutcome> run(String hop, Phase phase, List<PlanTask> tasks, List<TaskOutcome> done) {
        return run(hop, null, phase, tasks, done);
    }

    /**
     * Runs the tasks of {@code phase}, in order; the first failure stops the run with its output's tail.
     *
     * @param commit the commit the hop checked out, for the history's migration records (null if unknown)
     */
    public List<TaskOutcome> run(String hop, String commit, Phase phase, List<PlanTask> tasks, List<TaskOutcome> done) {
        List<TaskOutcome> outcomes = new ArrayList<>();
        for (PlanTask task : tasks) {
            if (task.phase() != phase) {
                continue;
            }
            Command command = commandFor(task, shell.access().appDir());
            Map<String, Object> started = new LinkedHashMap<>();
            started.put("host", shell.host());
            started.put("hop", hop);
            started.put("phase", phase.wireName());
            started.put("command", task.command());
            started.put("releases", task.releases());
            shell.audit().record(AuditEvents.TASK_STARTED, started);
            shell.console()
                    .info("[" + shell.host() + "] " + phase.wireName() + ": " + task.command() + "  (asked by "
                            + String.join(", ", task.releases()) + ")");
            ExecResult result = execute(hop, commit, task, command);
            String status = !shell.executes() ? "planned" : result.succeeded() ? "done" : "failed";
            TaskOutcome outcome = new TaskOutcome(
                    hop,
                    phase.wireName(),
                    task.command(),
                    task.releases(),
                    status,
                    result.exitCode(),
                    result.durationMs());
            Map<String, Object> completed = new LinkedHashMap<>(started);
            completed.put("status", status);
            completed.put("exitCode", result.exitCode());
            completed.put("durationMs", result.durationMs());
            shell.audit().record(AuditEvents.TASK_COMPLETED, completed);
            outcomes.add(outcome);
            done.add(outcome);
            if ("failed".equals(status)) {
                throw shell.failure(
                        "upgrade task '" + task.command() + "' (" + phase.wireName() + ", " + hop + ")",
                        command,
                        result,
                        Option.TASK_TIMEOUT,
                        taskTimeout);
            }
            shell.console()
                    .info("[" + shell.host() + "] " + task.command() + ": done in " + result.durationMs() + " ms");
        }
        return outcomes;
    }
}
