package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import io.github.flowupgrade.upgrade.backup.DatabaseBackup;
import io.github.flowupgrade.upgrade.checkout.Checkout;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.ServiceRestarter;
import io.github.flowupgrade.upgrade.services.ServiceRestarts;
import io.github.flowupgrade.upgrade.services.StreamingDecision;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import io.github.flowupgrade.upgrade.tasks.RequirementCheck;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The whole upgrade of one host, in the admin guide's order: check the release's requirements and get the manual
 * steps confirmed before anything changes; lock with the pre-flight checks ({@link SafetySteps}); then for each hop,
 * check out the release, preview its migrations, run its after-checkout tasks, restart sidekiq, reload web, run its
 * after-restart tasks (or, for a hop the notes allow no rolling update for, stop the site, migrate, start it); then the
 * streaming restart if it is needed and a human approves; unlock. Every outcome, failures included, comes back as an
 * {@link UpgradeResult} that says which steps completed, which did not, and how to resume or roll back.
 */
public final class Upgrade {
    private final HostShell shell;
    private final UpgradeRequest request;
    private final Console console;
    private final Clock clock;
    private final StepLog steps = new StepLog();
    private final List<CheckoutResult> checkouts = new ArrayList<>();
    private final List<TaskOutcome> tasks = new ArrayList<>();
    private final List<ServiceOutcome> services = new ArrayList<>();
    private List<RequirementCheck> requirements = List.of();
    private StreamingOutcome streaming;
    private boolean lockLeftHeld;
    private BackupOutcome backup;
    private UpgradeTasks upgradeTasks;
    private final SafetySteps safety;
    /** The first hop's checkout whose reads went with the pre-flight's round trip, and their results; else null. */
    private Checkout prepared;

    private List<ExecResult> preparedReads;

    /** @param shell the host, its quick commands under the request's command timeout */
    public Upgrade(HostShell shell, UpgradeRequest request, Clock clock) {
        this.shell = shell;
        this.request = request;
        this.console = shell.console();
        this.clock = clock;
        this.safety = new SafetySteps(shell, request, clock, steps, tasks, services);
    }

    /**
     * @param streamingGate asked before streaming is restarted
     * @param manualGate asked to confirm the manual steps when the request does not confirm them
     */
    public UpgradeResult run(UpgradePath path, ApprovalGate streamingGate, ApprovalGate manualGate) {
        long started = System.nanoTime();
        boolean dryRun = !shell.executes();
        planSteps(path);
        upgradeTasks = new UpgradeTasks(shell, request.taskTimeout(), clock);
        boolean migrates = path.migrates();
        ServiceRestarts restarts =
                new ServiceRestarts(shell, request.profile(), request.restartTimeouts(), request.webAction());
        HostLock lock = null;
        try {
            steps.run(
                    "check requirements",
                    () -> {
                        requirements =
                                upgradeTasks.checkRequirements(path.plan().requirements());
                        return requirements.isEmpty()
                                ? "the release notes name no minimum versions"
                                : requirements.size() + " minimum version(s) met";
                    },
                    dryRun);
            steps.run(
                    "confirm manual steps",
                    () -> {
                        // The list is the plan's: its printer shows it once per run (UpgradeOperation).
                        upgradeTasks.confirmManual(
                                path.plan().manual(), request.confirmManual(), request.actor(), manualGate, true);
                        return path.plan().manual().size() + " manual step(s) confirmed";
                    },
                    dryRun);
            safety.refuseUnsupportedRolling(path, dryRun);
            String holder = HostLock.holderLine(
                    request.actor(), request.build(), "upgrade to " + path.target(), clock.instant());
            // The host's lock, held for the whole run. With a release to deploy, the pre-flight round trip takes it
            // with its first command; with nothing to deploy, it is taken on its own.
            if (!path.hops().isEmpty()) {
                // Without a backup to take first, the first checkout's reads travel with the pre-flight's round
                // trip (the lock held, the tags fetched): one round trip fewer. They are used only if nothing changes
                // the host in between (no Ruby to install).
                Checkout first = migrates ? null : checkoutOf(path.hops().get(0), null);
                List<HostShell.Step> reads = first == null ? List.of() : first.firstSteps();
                lock = safety.preflight(path, holder, reads, dryRun);
                if (first != null
                        && !safety.installsRubies()
                        && safety.thenResults().size() == reads.size()) {
                    prepared = first;
                    preparedReads = safety.thenResults();
                }
                safety.installRubies(dryRun);
            } else {
                HostLock[] taken = new HostLock[1];
                steps.run(
                        "lock",
                        () -> {
                            taken[0] = HostLock.acquire(
                                    shell, HostLock.stateDir(shell.access().appDir()), holder, request.forceUnlock());
                            return holder;
                        },
                        dryRun);
                lock = taken[0];
            }
            if (migrates) {
                steps.run(BACKUP_STEP, () -> backUp(path), dryRun);
            }
            for (UpgradePath.Hop hop : path.hops()) {
                boolean last = hop == path.hops().get(path.hops().size() - 1);
                HostLock kept =
                        runHop(hop, upgradeTasks, restarts, dryRun, lock == null ? holder : null, lock, last, path);
                lock = lock == null ? kept : lock;
            }
            steps.run("streaming restart", () -> streaming(path, restarts, streamingGate), dryRun);
            if (!dryRun && streaming.pending()) {
                steps.restatusLast(StepRecord.PENDING);
            }
            HostLock held = lock;
            lock = null;
            steps.run(
                    "unlock",
                    () -> {
                        if (!held.held()) {
                            return "released with web's commands";
                        }
                        held.close();
                        return "released";
                    },
                    dryRun);
            String status = dryRun
                    ? UpgradeResult.PLANNED
                    : streaming.pending() ? UpgradeResult.PENDING : UpgradeResult.UPGRADED;
            UpgradeResult result = result(path, started, status, null, 0);
            summary(result);
            return result;
        } catch (FlowException thrown) {
            FlowException e = thrown;
            if (e instanceof HopFailed failed) {
                lock = lock == null ? failed.lock : lock;
                e = failed.cause;
            }
            if (e instanceof ServiceRestarter.ServiceFailedException failed) {
                services.add(failed.outcome());
            }
            String unlockProblem = releaseAfterFailure(lock);
            String status = e.exitCode() == ExitCode.REFUSED ? UpgradeResult.REFUSED : UpgradeResult.FAILED;
            String message = e.getMessage()
                    + (unlockProblem == null ? "" : "\n" + unlockProblem)
                    + migratedNote(path)
                    + safety.failureNote();
            UpgradeResult partial =
                    result(path, started, status, message, e.exitCode().code());
            UpgradeResult result = result(
                    path,
                    started,
                    status,
                    message + "\n" + failureReport(partial),
                    e.exitCode().code());
            summary(result);
            return result;
        } catch (RuntimeException bug) {
            // Not an outcome the run knows how to report; still, never leave the host locked.
            releaseAfterFailure(lock);
            throw bug;
        }
    }

    /**
     * The steps the upgrade along {@code path} would take, each {@code planned}, and nothing run: no lock, no command.
     * For a plan that shows, per host, what an upgrade would do from the release it runs now.
     */
    public UpgradeResult plan(UpgradePath path) {
        planSteps(path);
        List<String> hops = path.hops().stream().map(h -> h.tag().name()).toList();
        FlowException refused = safety.planChecks(path);
        UpgradeResult result = new UpgradeResult(
                shell.host(),
                path.from(),
                path.target(),
                hops,
                List.of(),
                steps.report(StepRecord.PLANNED),
                List.of(),
                List.of(),
                List.of(),
                null,
                0,
                refused == null ? UpgradeResult.PLANNED : statusOf(refused),
                refused == null ? null : refused.getMessage(),
                refused == null ? 0 : refused.exitCode().code(),
                null,
                null,
                path.releases(),
                path.commit(),
                path.plan(),
                null,
                false,
                safety.result());
        if (refused != null) {
            console.warn("[" + shell.host() + "] " + refused.getMessage());
        }
        console.info("[" + shell.host() + "] plan only: "
                + (hops.isEmpty() ? "already on " + path.target() : String.join(" -> ", hops))
                + "; nothing was changed");
        return result;
    }

    private void planSteps(UpgradePath path) {
        steps.plan("check requirements", null);
        steps.plan("confirm manual steps", null);
        safety.planBefore(path);
        steps.plan("lock", null);
        if (path.migrates()) {
            steps.plan(BACKUP_STEP, null);
        }
        for (UpgradePath.Hop hop : path.hops()) {
            steps.plan("checkout " + hop.tag().name(), hop.tag().name());
            if (safety.planHop(hop)) {
                continue;
            }
            if (has(hop, Phase.AFTER_CHECKOUT)) {
                steps.plan(
                        "after-checkout tasks for " + hop.tag().name(),
                        hop.tag().name());
            }
            steps.plan("restart sidekiq for " + hop.tag().name(), hop.tag().name());
            steps.plan(webStep(hop.tag().name()), hop.tag().name());
            if (has(hop, Phase.AFTER_RESTART)) {
                steps.plan(
                        "after-restart tasks for " + hop.tag().name(), hop.tag().name());
            }
        }
        steps.plan("streaming restart", null);
        steps.plan("unlock", null);
    }

    /**
     * One hop: checkout, tasks, restarts.
     *
     * @param holder when not null, this hop's checkout takes the host's lock with that holder line and keeps it
     * @return the lock this hop's checkout took, or null
     */
    private HostLock runHop(
            UpgradePath.Hop hop,
            UpgradeTasks upgradeTasks,
            ServiceRestarts restarts,
            boolean dryRun,
            String holder,
            HostLock held,
            boolean last,
            UpgradePath path) {
        String tag = hop.tag().name();
        console.info("");
        console.info("[" + shell.host() + "] == " + tag + " (carries out the instructions of "
                + String.join(", ", hop.releases()) + ")");
        HostLock[] kept = new HostLock[1];
        try {
            steps.run("checkout " + tag, () -> checkout(hop, holder, kept), dryRun);
        } catch (CheckoutFailed e) {
            if (e.atLock) {
                // Nothing of the checkout ran but its checks: the report shows the lock as what failed.
                steps.forget("checkout " + tag);
            }
            // The lock may have been taken before the checkout failed: the caller must release it.
            throw new HopFailed(e, kept[0]);
        }
        try {
            if (safety.runHop(hop, upgradeTasks, dryRun)) {
                return kept[0];
            }
            if (has(hop, Phase.AFTER_CHECKOUT)) {
                steps.run(
                        "after-checkout tasks for " + tag,
                        () -> ran(upgradeTasks.run(
                                tag,
                                hop.commit(),
                                Phase.AFTER_CHECKOUT,
                                hop.plan().tasks(),
                                tasks)),
                        dryRun);
            }
            HostLock lock = kept[0] != null ? kept[0] : held;
            boolean unlockWithWeb = !dryRun
                    && last
                    && lock != null
                    && !has(hop, Phase.AFTER_RESTART)
                    && request.restartTimeouts().settle().isZero()
                    && !decideStreaming(path).needed();
            ServiceRestarter.Trailing webTrailing =
                    unlockWithWeb ? unlockTrailing(lock) : ServiceRestarter.Trailing.NONE;
            // Web's reload follows sidekiq's restart with nothing between: with no settle time to wait, it goes in
            // sidekiq's round trip, behind a check on the host that sidekiq is active again.
            boolean webAlong = !dryRun && request.restartTimeouts().settle().isZero();
            steps.run(
                    "restart sidekiq for " + tag,
                    () -> servicesDone(
                            webAlong ? restarts.restartSidekiqWithWeb(webTrailing) : restarts.restartSidekiq()),
                    dryRun);
            steps.run(webStep(tag), () -> servicesDone(restarts.reloadWeb(webTrailing)), dryRun);
            if (has(hop, Phase.AFTER_RESTART)) {
                steps.run(
                        "after-restart tasks for " + tag,
                        () -> ran(upgradeTasks.run(
                                tag,
                                hop.commit(),
                                Phase.AFTER_RESTART,
                                hop.plan().tasks(),
                                tasks)),
                        dryRun);
            }
        } catch (FlowException e) {
            throw kept[0] == null ? e : new HopFailed(e, kept[0]);
        }
        return kept[0];
    }

    private static final String BACKUP_STEP = "back up the database";

    /**
     * The backup before the first migration, or the record that it was turned off; either way the migrations are
     * then recorded in the host's history with the backup they can be undone from.
     */
    private String backUp(UpgradePath path) {
        if (!request.backup().enabled()) {
            backup = DatabaseBackup.skipped(shell, request.actor(), path.target());
            upgradeTasks.recordMigrations(new UpgradeTasks.MigrationRecord(request.actor(), request.build(), null));
            return "skipped: turned off with " + Option.NO_BACKUP.set();
        }
        DatabaseBackup database = new DatabaseBackup(shell, request.backup(), request.taskTimeout(), clock);
        try {
            backup = database.run(path.from(), path.target(), request.actor(), request.build());
        } catch (FlowException e) {
            backup = new BackupOutcome(
                    BackupOutcome.FAILED, null, null, 0, null, 0, 0, false, FlowException.firstLine(e.getMessage()));
            throw e;
        }
        upgradeTasks.recordMigrations(
                new UpgradeTasks.MigrationRecord(request.actor(), request.build(), backup.path()));
        if (!shell.executes()) {
            return "pg_dump -Fc to " + backup.path() + ", checked with pg_restore --list";
        }
        return backup.path() + " (" + backup.bytes() + " bytes, sha256 "
                + backup.sha256().substring(0, 12) + "..., checked with pg_restore --list"
                + (backup.shipped() ? ", shipped" : "") + ")";
    }

    /** A failure after the host's lock was taken (by a checkout or the pre-flight), which the run must still release. */
    static final class HopFailed extends FlowException {
        private final transient HostLock lock;
        private final FlowException cause;

        HopFailed(FlowException cause, HostLock lock) {
            super(cause.exitCode(), cause.getMessage(), cause);
            this.cause = cause;
            this.lock = lock;
        }
    }

    /** A checkout that did not succeed, as the step's failure. */
    private static final class CheckoutFailed extends FlowException {
        private final boolean atLock;

        CheckoutFailed(ExitCode code, String message, boolean atLock) {
            super(code, message);
            this.atLock = atLock;
        }
    }

    /** The checkout of {@code hop}: under the run's lock ({@code holder} null), or taking it with {@code holder}. */
    private Checkout checkoutOf(UpgradePath.Hop hop, String holder) {
        CheckoutRequest checkoutRequest = new CheckoutRequest(
                shell.access().appDir(),
                hop.tag(),
                hop.commit(),
                false,
                request.forceUnlock(),
                request.actor(),
                request.build(),
                request.keepLocalCommits());
        return new Checkout(
                shell, checkoutRequest, clock, holder == null ? Checkout.LockUse.HELD : Checkout.LockUse.KEEP, holder);
    }

    private String checkout(UpgradePath.Hop hop, String holder, HostLock[] kept) {
        Checkout checkout;
        CheckoutResult result;
        if (prepared != null && holder == null) {
            // The first hop's reads came back with the pre-flight's round trip.
            checkout = prepared;
            result = checkout.run(preparedReads);
            prepared = null;
            preparedReads = null;
        } else {
            checkout = checkoutOf(hop, holder);
            result = checkout.run();
        }
        kept[0] = checkout.keptLock();
        if (kept[0] != null || (holder != null && !shell.executes())) {
            steps.record(new StepRecord(
                    "lock",
                    null,
                    shell.executes() ? StepRecord.DONE : StepRecord.PLANNED,
                    0,
                    holder + " (taken with the checkout's first commands)"));
        }
        boolean atLock = holder != null && !result.succeeded() && checkout.failedAtLock();
        if (atLock) {
            steps.record(new StepRecord("lock", null, StepRecord.FAILED, 0, FlowException.firstLine(result.error())));
        } else {
            checkouts.add(result);
        }
        if (!result.succeeded()) {
            throw new CheckoutFailed(ExitCode.values()[indexOf(result.exitCode())], result.error(), atLock);
        }
        return result.status() + ": "
                + (result.previous() == null ? "?" : result.previous().display()) + " -> "
                + (result.current() == null ? "?" : result.current().display())
                + (result.kept() == null
                        ? ""
                        : " (kept " + result.kept().commits().size() + " local commit(s) under "
                                + result.kept().ref() + ")");
    }

    /**
     * When nothing but the unlock follows web's reload (no after-restart tasks, no streaming restart, no settle
     * wait), the unlock travels with web's commands: one round trip less. It is accounted for before web is judged;
     * if it did not run or failed, the lock stays held and the unlock step (or the failure path) releases it.
     */
    private ServiceRestarter.Trailing unlockTrailing(HostLock lock) {
        return new ServiceRestarter.Trailing(
                List.of(HostShell.Step.of(HostShell.As.APP, lock.releaseCommand(), request.commandTimeout())),
                results -> {
                    ExecResult released = results.get(0);
                    if (released != null && released.succeeded()) {
                        lock.releasedBy(released);
                    }
                });
    }

    private StreamingDecision decideStreaming(UpgradePath path) {
        boolean planSays = path.plan().streamingRestart()
                || path.hops().stream().anyMatch(h -> h.plan().streamingRestart());
        // The releases whose notes asked, not every release of the hops they are in.
        List<String> askedBy = Stream.concat(
                        path.plan().streamingRestartBy().stream(),
                        path.hops().stream().flatMap(h -> h.plan().streamingRestartBy().stream()))
                .distinct()
                .toList();
        Boolean checkoutSays = checkouts.isEmpty() || !shell.executes()
                ? null
                : checkouts.stream()
                        .anyMatch(c -> c.changed() != null && c.changed().streaming());
        List<String> changedPaths = checkouts.stream()
                .filter(c -> c.changed() != null)
                .flatMap(c -> c.changed().streamingPaths().stream())
                .distinct()
                .toList();
        return StreamingDecision.decide(request.streaming(), planSays, askedBy, checkoutSays, changedPaths);
    }

    private String streaming(UpgradePath path, ServiceRestarts restarts, ApprovalGate gate) {
        StreamingOutcome withTheSite = safety.streamingWithTheSite(path);
        if (withTheSite != null) {
            streaming = withTheSite;
            return streaming.status() + ": " + streaming.reason();
        }
        StreamingDecision decision = decideStreaming(path);
        streaming = restarts.streaming(decision, path.releases(), gate);
        services.addAll(streaming.services());
        return streaming.status()
                + (streaming.approvedBy() == null ? "" : " (approved by " + streaming.approvedBy() + ")") + ": "
                + streaming.reason();
    }

    private String servicesDone(List<ServiceOutcome> outcomes) {
        services.addAll(outcomes);
        return String.join(
                ", ",
                outcomes.stream()
                        .map(o -> o.name() + " " + o.result() + " (PID " + o.mainPidBefore() + " -> " + o.mainPidAfter()
                                + ")")
                        .toList());
    }

    /** "reload web for v4.3.1", or "restart web for ..." when web is restarted instead. */
    private String webStep(String tag) {
        return request.webAction().verb() + " web for " + tag;
    }

    private static String ran(List<TaskOutcome> outcomes) {
        return outcomes.size() + " task(s): "
                + String.join(", ", outcomes.stream().map(TaskOutcome::command).toList());
    }

    private static boolean has(UpgradePath.Hop hop, Phase phase) {
        return hop.plan().tasks().stream().map(PlanTask::phase).anyMatch(phase::equals);
    }

    private String releaseAfterFailure(HostLock lock) {
        if (lock == null) {
            return null;
        }
        try {
            String detail = lock.held() ? "released after the failure" : "released with web's commands";
            lock.close();
            steps.record(new StepRecord("unlock", null, StepRecord.DONE, 0, detail));
            return null;
        } catch (FlowException e) {
            lockLeftHeld = true;
            return "The lock could not be released either: " + e.getMessage() + " (remove it with "
                    + Option.FORCE_UNLOCK.set() + " once you checked the host)";
        }
    }

    private UpgradeResult result(UpgradePath path, long started, String status, String error, int exitCode) {
        // Given the version the host ran before, a host that already reached a hop or the target still gets the
        // tasks and restarts that did not run.
        UpgradeResult.Resume resume = exitCode == 0
                ? null
                : new UpgradeResult.Resume(path.target(), path.from(), lockLeftHeld || request.forceUnlock());
        boolean changed = checkouts.stream().anyMatch(c -> "checked-out".equals(c.status()));
        // After a migration started, the code must not go back alone: old code on a new schema is unsafe.
        boolean migrated = upgradeTasks != null && upgradeTasks.migrationsStarted();
        String rollbackTo = exitCode != 0 && changed && !migrated ? path.from() : null;
        return new UpgradeResult(
                shell.host(),
                path.from(),
                path.target(),
                path.hops().stream().map(h -> h.tag().name()).toList(),
                requirements,
                steps.report(),
                checkouts,
                tasks,
                services,
                streaming,
                (System.nanoTime() - started) / 1_000_000,
                status,
                error,
                exitCode,
                resume,
                rollbackTo,
                path.releases(),
                path.commit(),
                path.plan(),
                backup,
                migrated,
                safety.result());
    }

    /**
     * After a failure once migrations started: the code must not simply go back, and the backup is the way back.
     */
    private String migratedNote(UpgradePath path) {
        if (upgradeTasks == null || !upgradeTasks.migrationsStarted()) {
            return "";
        }
        String restore = backup != null && backup.path() != null
                ? "restore the database from " + backup.path() + " first (docs/checkout.md, \"Restoring a backup\")"
                : "restore the database from your own backup first (flow took none)";
        return "\nDatabase migrations ran on " + shell.host() + ": do not roll the code back to " + path.from()
                + " alone (old code on the new schema is unsafe). Finish the upgrade, or " + restore + ".";
    }

    private static String failureReport(UpgradeResult result) {
        StringBuilder out = new StringBuilder("What happened on " + result.host() + ":");
        for (StepRecord step : result.steps()) {
            out.append("\n  ").append(mark(step.status())).append(' ').append(step.name());
            if (step.detail() != null && !StepRecord.NOT_RUN.equals(step.status())) {
                out.append(" (").append(step.detail()).append(')');
            }
        }
        return out.toString();
    }

    private static String mark(String status) {
        return switch (status) {
            case StepRecord.DONE -> "[done]   ";
            case StepRecord.FAILED -> "[FAILED] ";
            case StepRecord.PLANNED -> "[planned]";
            case StepRecord.PENDING -> "[pending]";
            default -> "[not run]";
        };
    }

    private void summary(UpgradeResult result) {
        console.info("");
        console.info("Summary for " + result.host() + ": " + result.status() + " (" + result.from() + " -> "
                + result.target()
                + (result.hops().isEmpty() ? ", nothing to deploy" : " via " + String.join(", ", result.hops())) + ", "
                + result.durationMs()
                + " ms)");
        for (StepRecord step : result.steps()) {
            console.info("  " + mark(step.status()) + " " + step.name() + "  " + step.durationMs() + " ms"
                    + (step.detail() == null ? "" : "  " + step.detail()));
        }
        safety.summary(console);
        if (result.streaming() != null && result.streaming().pending()) {
            console.warn("Pending: the streaming restart on " + result.host() + " waits for approval ("
                    + result.streaming().reason() + ").");
        }
    }

    private static String statusOf(FlowException e) {
        return e.exitCode() == ExitCode.REFUSED ? UpgradeResult.REFUSED : UpgradeResult.FAILED;
    }

    private static int indexOf(int exitCode) {
        ExitCode[] codes = ExitCode.values();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i].code() == exitCode) {
                return i;
            }
        }
        return ExitCode.REMOTE_COMMAND_FAILED.ordinal();
    }
}
