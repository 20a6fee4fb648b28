package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.upgrade.preflight.PendingMigrations;
import io.github.flowupgrade.upgrade.preflight.Preflight;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.preflight.RubyInstall;
import io.github.flowupgrade.upgrade.services.DowntimeOutcome;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one host's upgrade that look before it leaps, as {@link Upgrade} runs them: the refusal of a hop the
 * notes allow no rolling update for (without the downtime allowed), the pre-flight checks (which take the host's lock),
 * the Ruby they planned to install, the pending-migrations preview after each checkout, and a hop run with the site
 * stopped ({@link DowntimeHop}). What they found goes into the result ({@link UpgradeSafety}).
 */
final class SafetySteps {
    static final String ROLLING_STEP = "check rolling updates";

    private final HostShell shell;
    private final UpgradeRequest request;
    private final Clock clock;
    private final StepLog steps;
    private final List<TaskOutcome> tasks;
    private final List<ServiceOutcome> services;
    private final List<PendingMigrations> previews = new ArrayList<>();
    private PreflightReport preflight;
    private List<ExecResult> thenResults = List.of();
    private DowntimeOutcome downtime;

    SafetySteps(
            HostShell shell,
            UpgradeRequest request,
            Clock clock,
            StepLog steps,
            List<TaskOutcome> tasks,
            List<ServiceOutcome> services) {
        this.shell = shell;
        this.request = request;
        this.clock = clock;
        this.steps = steps;
        this.tasks = tasks;
        this.services = services;
    }

    /** The run's steps before the lock: the rolling-update refusal when it applies, the pre-flight checks. */
    void planBefore(UpgradePath path) {
        if (refusesRolling(path)) {
            steps.plan(ROLLING_STEP, null);
        }
        if (!path.hops().isEmpty()) {
            steps.plan(Preflight.STEP, null);
        }
    }

    /**
     * A hop's steps after its checkout: the preview when it migrates; for a hop run with the site stopped, all the
     * rest of its steps.
     *
     * @return whether the hop's remaining steps are planned (a downtime hop), else the caller plans a rolling one's
     */
    boolean planHop(UpgradePath.Hop hop) {
        if (hop.migrates()) {
            steps.plan(PendingMigrations.step(hop.tag().name()), hop.tag().name());
        }
        if (hop.downtime() == null) {
            return false;
        }
        DowntimeHop.plan(steps, hop);
        return true;
    }

    /** Refuses, before anything changes, a hop that cannot be a rolling update when the downtime is not allowed. */
    void refuseUnsupportedRolling(UpgradePath path, boolean dryRun) {
        if (!refusesRolling(path)) {
            return;
        }
        steps.run(
                ROLLING_STEP,
                () -> {
                    throw rollingRefusal(path);
                },
                dryRun);
    }

    /**
     * The pre-flight round trip: takes the host's lock (kept for the run), fetches, reads what each hop's release
     * needs and what the host has, and refuses a host that fails a check before anything changes.
     *
     * @throws Upgrade.HopFailed with the lock to release, when it was taken
     */
    HostLock preflight(UpgradePath path, String holder, List<HostShell.Step> then, boolean dryRun) {
        Preflight.Outcome[] outcome = new Preflight.Outcome[1];
        try {
            steps.run(
                    Preflight.STEP,
                    () -> {
                        Preflight checks = new Preflight(shell, request.preflight());
                        outcome[0] = checks.run(preflightRequest(path, holder, Preflight.LockUse.TAKE, null)
                                .then(then));
                        thenResults = checks.thenResults();
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
                steps.record(
                        new StepRecord("lock", null, StepRecord.FAILED, 0, FlowException.firstLine(e.getMessage())));
            }
            throw new Upgrade.HopFailed(e, outcome[0] == null ? null : outcome[0].lock());
        }
        steps.record(new StepRecord(
                "lock",
                null,
                shell.executes() ? StepRecord.DONE : StepRecord.PLANNED,
                0,
                holder + " (taken with the pre-flight's commands)"));
        return outcome[0].lock();
    }

    /** The results of the steps {@link #preflight} sent along (the first checkout's reads), or empty. */
    List<ExecResult> thenResults() {
        return thenResults;
    }

    /** Whether the pre-flight planned Rubies to install: something then changes the host before the first checkout. */
    boolean installsRubies() {
        return preflight != null && !preflight.rubyInstalls().isEmpty();
    }

    /** The Rubies the pre-flight planned to install (the policy allows it), before anything else changes. */
    void installRubies(boolean dryRun) {
        if (preflight == null) {
            return;
        }
        RubyInstall install = new RubyInstall(shell, request.taskTimeout(), clock);
        for (PreflightReport.RubyNeed need : preflight.rubyInstalls()) {
            String step = RubyInstall.step(need.version());
            steps.plan(step, null);
            steps.run(step, () -> install.install(need, tasks), dryRun);
        }
    }

    /**
     * A hop after its checkout: the preview when it migrates; a hop that cannot be rolling runs whole here.
     *
     * @return whether the hop was run here (its site stopped and started), else the caller runs a rolling one
     */
    boolean runHop(UpgradePath.Hop hop, UpgradeTasks upgradeTasks, boolean dryRun) {
        String tag = hop.tag().name();
        if (hop.migrates()) {
            steps.run(PendingMigrations.step(tag), () -> PendingMigrations.preview(shell, tag, previews), dryRun);
        }
        if (hop.downtime() == null) {
            return false;
        }
        DowntimeHop down = new DowntimeHop(shell, request, clock, steps, upgradeTasks, tasks, services);
        try {
            down.run(hop, dryRun);
        } finally {
            downtime = down.outcome() == null ? downtime : down.outcome();
        }
        return true;
    }

    /**
     * What a plan can tell before anything changes: a hop that cannot be a rolling update without the downtime
     * allowed, and the pre-flight checks with the target's pending migrations, in one round trip that takes the host's
     * lock and gives it back (a host another run holds is planned without them). Returns why the upgrade would be
     * refused, or null.
     */
    FlowException planChecks(UpgradePath path) {
        FlowException refused = refusesRolling(path) ? rollingRefusal(path) : null;
        if (path.hops().isEmpty()) {
            return refused;
        }
        UpgradePath.Hop last = path.hops().get(path.hops().size() - 1);
        ReleaseTag preview = path.migrates() ? last.tag() : null;
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

    /**
     * Streaming after a last hop that stopped and started the whole site: it runs the new code already. Null when the
     * streaming restart is decided as usual.
     */
    StreamingOutcome streamingWithTheSite(UpgradePath path) {
        UpgradePath.Hop last =
                path.hops().isEmpty() ? null : path.hops().get(path.hops().size() - 1);
        if (last == null || last.downtime() == null || downtime == null) {
            return null;
        }
        return StreamingOutcome.withTheSite(downtime, services);
    }

    /** After a failure while the site was down: it stays down, and how to go on; else nothing. */
    String failureNote() {
        if (downtime == null || !DowntimeOutcome.LEFT_STOPPED.equals(downtime.status())) {
            return "";
        }
        return "\n" + downtime.describe() + ": it stays stopped, because neither the new code on a half-migrated"
                + " schema nor the old code on a migrated one may serve. Fix the cause, then resume (the migrations"
                + " go on where they stopped), or restore the backup and start the old release.";
    }

    /** The summary's line on the downtime, if there was one. */
    void summary(Console console) {
        if (downtime == null) {
            return;
        }
        if (DowntimeOutcome.LEFT_STOPPED.equals(downtime.status())) {
            console.warn("  " + downtime.describe());
        } else {
            console.info("  " + downtime.describe());
        }
    }

    UpgradeSafety result() {
        return new UpgradeSafety(preflight, previews, downtime);
    }

    private boolean refusesRolling(UpgradePath path) {
        return !request.allowDowntime() && path.hops().stream().anyMatch(h -> h.downtime() != null);
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

    private Preflight.Request preflightRequest(
            UpgradePath path, String holder, Preflight.LockUse lockUse, ReleaseTag preview) {
        return path.preflightRequest(holder, request.forceUnlock(), lockUse, preview);
    }

    private String preflightDetail() {
        return preflight == null ? "not run" : preflight.summary();
    }
}
