package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.ReleaseTag;
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
import io.github.flowupgrade.upgrade.preflight.PendingMigrations;
import io.github.flowupgrade.upgrade.preflight.Preflight;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.preflight.RubyInstall;
import io.github.flowupgrade.upgrade.services.DowntimeOutcome;
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

/**
 * The whole upgrade of one host, in the admin guide's order: check the release's requirements and get the manual
 * steps confirmed before anything changes; lock; then for each hop, check out the release, run its after-checkout
 * tasks, restart sidekiq, reload web, run its after-restart tasks; then the streaming restart if it is needed and a
 * human approves; unlock. Every outcome, failures included, comes back as an {@link UpgradeResult} that says which
 * steps completed, which did not, and how to resume or roll back.
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
    private PreflightReport preflight;
    private final List<PendingMigrations> previews = new ArrayList<>();
    private DowntimeOutcome downtime;

    /** @param shell the host, its quick commands under the request's command timeout */
    public Upgrade(HostShell shell, UpgradeRequest request, Clock clock) {
        this.shell = shell;
        this.request = request;
        this.console = shell.console();
        this.clock = clock;
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
        boolean migrates = migrates(path);
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
                        upgradeTasks.confirmManual(
                                path.plan().manual(), request.confirmManual(), request.actor(), manualGate);
                        return path.plan().manual().size() + " manual step(s) confirmed";
                    },
                    dryRun);
            refuseUnsupportedRolling(path, dryRun);
            String holder = HostLock.holderLine(
                    request.actor(), request.build(), "upgrade to " + path.target(), clock.instant());
            // The host's lock, held for the whole run. With a release to deploy, the pre-flight round trip takes it
            // with its first command; with nothing to deploy, it is taken on its own.
            if (!path.hops().isEmpty()) {
                lock = preflight(path, holder, dryRun);
                installRubies(path, dryRun);
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
                    + downtimeNote();
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
        FlowException refused = planChecks(path);
        String status = refused == null
                ? UpgradeResult.PLANNED
                : refused.exitCode() == ExitCode.REFUSED ? UpgradeResult.REFUSED : UpgradeResult.FAILED;
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
                status,
                refused == null ? null : refused.getMessage(),
                refused == null ? 0 : refused.exitCode().code(),
                null,
                null,
                path.releases(),
                path.commit(),
                path.plan(),
                null,
                false,
                new UpgradeSafety(preflight, previews, null));
        if (refused != null) {
            console.warn("[" + shell.host() + "] " + refused.getMessage());
        }
        console.info("[" + shell.host() + "] plan only: "
                + (hops.isEmpty() ? "already on " + path.target() : String.join(" -> ", hops))
                + "; nothing was changed");
        return result;
    }

    /**
     * What a plan can tell before anything changes: a hop that cannot be a rolling update without the downtime
     * allowed, and the pre-flight checks with the target's pending migrations, in one round trip that takes the host's
     * lock and gives it back (a host another run holds is planned without them). Returns why the upgrade would be
     * refused, or null.
     */
    private FlowException planChecks(UpgradePath path) {
        FlowException refused = downtimeHops(path) > 0 && !request.allowDowntime() ? rollingRefusal(path) : null;
        if (path.hops().isEmpty()) {
            return refused;
        }
        UpgradePath.Hop last = path.hops().get(path.hops().size() - 1);
        ReleaseTag preview = migrates(path) ? last.tag() : null;
        String holder = HostLock.holderLine(
                request.actor(), request.build(), "plan of the upgrade to " + path.target(), clock.instant());
        try {
            Preflight.Outcome outcome = new Preflight(shell, request.preflight())
                    .run(preflightRequest(path, holder, Preflight.LockUse.BRIEF, preview));
            preflight = outcome.report();
            if (outcome.preview() != null) {
                previews.add(outcome.preview());
            }
            return refused != null ? refused : outcome.failure();
        } catch (FlowException e) {
            return refused != null ? refused : e;
        }
    }

    private void planSteps(UpgradePath path) {
        steps.plan("check requirements", null);
        steps.plan("confirm manual steps", null);
        if (downtimeHops(path) > 0 && !request.allowDowntime()) {
            steps.plan(ROLLING_STEP, null);
        }
        if (!path.hops().isEmpty()) {
            steps.plan(Preflight.STEP, null);
        }
        steps.plan("lock", null);
        if (migrates(path)) {
            steps.plan(BACKUP_STEP, null);
        }
        for (UpgradePath.Hop hop : path.hops()) {
            steps.plan("checkout " + hop.tag().name(), hop.tag().name());
            if (hop.plan().tasks().stream().anyMatch(UpgradeTasks::migrates)) {
                steps.plan(previewStep(hop.tag().name()), hop.tag().name());
            }
            if (hop.downtime() != null) {
                DowntimeHop.plan(steps, hop);
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
            if (hop.plan().tasks().stream().anyMatch(UpgradeTasks::migrates)) {
                steps.run(previewStep(tag), () -> preview(tag), dryRun);
            }
            if (hop.downtime() != null) {
                DowntimeHop down = new DowntimeHop(shell, request, clock, steps, upgradeTasks, tasks, services);
                try {
                    down.run(hop, dryRun);
                } finally {
                    downtime = down.outcome() == null ? downtime : down.outcome();
                }
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
            steps.run("restart sidekiq for " + tag, () -> servicesDone(restarts.restartSidekiq()), dryRun);
            HostLock lock = kept[0] != null ? kept[0] : held;
            boolean unlockWithWeb = !dryRun
                    && last
                    && lock != null
                    && !has(hop, Phase.AFTER_RESTART)
                    && request.restartTimeouts().settle().isZero()
                    && !decideStreaming(path).needed();
            steps.run(
                    webStep(tag),
                    () -> servicesDone(unlockWithWeb ? restarts.reloadWeb(unlockTrailing(lock)) : restarts.reloadWeb()),
                    dryRun);
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
    private static final String ROLLING_STEP = "check rolling updates";

    /** How many hops the release lookup left as hops that cannot be rolling updates. */
    private static long downtimeHops(UpgradePath path) {
        return path.hops().stream().filter(h -> h.downtime() != null).count();
    }

    /**
     * A hop the notes say cannot be a rolling update, with no release to go through first, needs the site stopped:
     * without the downtime allowed, the run refuses before anything changes.
     */
    private void refuseUnsupportedRolling(UpgradePath path, boolean dryRun) {
        if (downtimeHops(path) == 0 || request.allowDowntime()) {
            return;
        }
        steps.run(
                ROLLING_STEP,
                () -> {
                    throw rollingRefusal(path);
                },
                dryRun);
    }

    private FlowException rollingRefusal(UpgradePath path) {
        StringBuilder message = new StringBuilder("a rolling upgrade of " + shell.host() + " is not supported by the"
                + " release notes, and no release in the range can be the hop they recommend first:");
        for (UpgradePath.Hop hop : path.hops()) {
            if (hop.downtime() != null) {
                message.append("\n  ")
                        .append(hop.tag().name())
                        .append(": ")
                        .append(hop.downtime().describe());
            }
        }
        message.append("\nNothing was changed. Upgrade with the site stopped for the migrations with ")
                .append(Option.ALLOW_DOWNTIME.set())
                .append(" (web, sidekiq and streaming are stopped, migrated, started and checked; the summary says how"
                        + " long the site was down), or upgrade to the release the notes recommend first.");
        return FlowException.refused(message.toString());
    }

    /**
     * The pre-flight round trip: takes the host's lock (kept for the run), fetches, reads what each hop's release
     * needs and what the host has, and refuses a host that fails a check before anything changes.
     */
    private HostLock preflight(UpgradePath path, String holder, boolean dryRun) {
        Preflight.Outcome[] outcome = new Preflight.Outcome[1];
        try {
            steps.run(
                    Preflight.STEP,
                    () -> {
                        outcome[0] = new Preflight(shell, request.preflight())
                                .run(preflightRequest(path, holder, Preflight.LockUse.TAKE, null));
                        preflight = outcome[0].report();
                        if (outcome[0].failure() != null) {
                            throw outcome[0].failure();
                        }
                        return preflightDetail();
                    },
                    dryRun);
        } catch (FlowException e) {
            if (outcome[0] == null) {
                // Nothing was checked: the lock (held by another run) is what failed.
                steps.forget(Preflight.STEP);
                steps.record(new StepRecord("lock", null, StepRecord.FAILED, 0, firstLine(e.getMessage())));
            }
            throw new HopFailed(e, outcome[0] == null ? null : outcome[0].lock());
        }
        steps.record(new StepRecord(
                "lock",
                null,
                shell.executes() ? StepRecord.DONE : StepRecord.PLANNED,
                0,
                holder + " (taken with the pre-flight's commands)"));
        return outcome[0].lock();
    }

    private Preflight.Request preflightRequest(
            UpgradePath path, String holder, Preflight.LockUse lockUse, ReleaseTag preview) {
        List<String> assets = path.hops().stream()
                .filter(h -> h.plan().assetsPrecompile())
                .map(h -> h.tag().name())
                .toList();
        return new Preflight.Request(
                path.hops().stream().map(UpgradePath.Hop::tag).toList(),
                assets,
                holder,
                request.forceUnlock(),
                lockUse,
                preview);
    }

    private String preflightDetail() {
        if (preflight == null) {
            return "not run";
        }
        String warned = String.join(
                ", ",
                preflight.checks().stream()
                        .filter(c -> !c.status().equals(io.github.flowupgrade.upgrade.preflight.PreflightCheck.PASS))
                        .map(c -> c.name() + " " + c.status())
                        .toList());
        return preflight.status() + (warned.isEmpty() ? "" : " (" + warned + ")");
    }

    /** The Rubies the pre-flight planned to install (the policy allows it), before anything else changes. */
    private void installRubies(UpgradePath path, boolean dryRun) {
        if (preflight == null) {
            return;
        }
        RubyInstall install = new RubyInstall(shell, request.taskTimeout(), clock);
        for (PreflightReport.RubyNeed need : preflight.rubyInstalls()) {
            String version = need.version();
            String hop = need.hop();
            steps.plan(RubyInstall.step(version), null);
            try {
                steps.run(
                        RubyInstall.step(version),
                        () -> {
                            tasks.add(install.run(version, hop));
                            return "rbenv install " + version + " (ruby-build updated first)";
                        },
                        dryRun);
            } catch (RubyInstall.Failed e) {
                tasks.add(e.outcome());
                throw e;
            }
        }
    }

    private static String previewStep(String tag) {
        return "pending migrations for " + tag;
    }

    /** The checked-out hop's migrations against the database, before any of them runs. */
    private String preview(String tag) {
        if (!shell.executes()) {
            return "git ls-tree HEAD db/migrate db/post_migrate against schema_migrations";
        }
        PendingMigrations preview = PendingMigrations.read(shell, tag);
        previews.add(preview);
        return preview.summary();
    }

    /** After a failure while the site was down: it stays down, and how to go on. */
    private String downtimeNote() {
        if (downtime == null || !DowntimeOutcome.LEFT_STOPPED.equals(downtime.status())) {
            return "";
        }
        return "\n" + downtime.describe() + ": it stays stopped, because neither the new code on a half-migrated"
                + " schema nor the old code on a migrated one may serve. Fix the cause, then resume (the migrations"
                + " go on where they stopped), or restore the backup and start the old release.";
    }

    /** Whether any hop runs a database migration. */
    private static boolean migrates(UpgradePath path) {
        return path.hops().stream().flatMap(h -> h.plan().tasks().stream()).anyMatch(UpgradeTasks::migrates);
    }

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
                    BackupOutcome.FAILED, null, null, 0, null, 0, 0, false, firstLine(e.getMessage()));
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

    /** A failed hop whose checkout had taken the host's lock, which the run must still release. */
    private static final class HopFailed extends FlowException {
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

    private String checkout(UpgradePath.Hop hop, String holder, HostLock[] kept) {
        CheckoutRequest checkoutRequest = new CheckoutRequest(
                shell.access().appDir(),
                hop.tag(),
                hop.commit(),
                false,
                request.forceUnlock(),
                request.actor(),
                request.build(),
                request.keepLocalCommits());
        Checkout checkout = new Checkout(
                shell, checkoutRequest, clock, holder == null ? Checkout.LockUse.HELD : Checkout.LockUse.KEEP, holder);
        CheckoutResult result = checkout.run();
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
            steps.record(new StepRecord("lock", null, StepRecord.FAILED, 0, firstLine(result.error())));
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
        List<String> askedBy = path.hops().stream()
                .filter(h -> h.plan().streamingRestart())
                .flatMap(h -> h.releases().stream())
                .toList();
        Boolean checkoutSays = checkouts.isEmpty() || !shell.executes()
                ? null
                : checkouts.stream()
                        .anyMatch(c -> c.changed() != null && c.changed().streaming());
        return StreamingDecision.decide(request.streaming(), planSays, askedBy, checkoutSays);
    }

    private String streaming(UpgradePath path, ServiceRestarts restarts, ApprovalGate gate) {
        UpgradePath.Hop last =
                path.hops().isEmpty() ? null : path.hops().get(path.hops().size() - 1);
        if (last != null && last.downtime() != null && downtime != null) {
            // The last hop stopped and started streaming with the site: it runs the new code already.
            streaming = StreamingOutcome.withTheSite(downtime, services);
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
                new UpgradeSafety(preflight, previews, downtime));
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
        if (downtime != null) {
            if (DowntimeOutcome.LEFT_STOPPED.equals(downtime.status())) {
                console.warn("  " + downtime.describe());
            } else {
                console.info("  " + downtime.describe());
            }
        }
        if (result.streaming() != null && result.streaming().pending()) {
            console.warn("Pending: the streaming restart on " + result.host() + " waits for approval ("
                    + result.streaming().reason() + ").");
        }
    }

    private static String firstLine(String message) {
        int nl = message == null ? -1 : message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
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
