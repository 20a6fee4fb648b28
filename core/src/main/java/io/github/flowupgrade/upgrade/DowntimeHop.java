package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.TaskKind;
import io.github.flowupgrade.upgrade.services.Downtime;
import io.github.flowupgrade.upgrade.services.DowntimeOutcome;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A hop that cannot be a rolling update, after its checkout: the tasks that do not touch the database (dependencies,
 * assets) while the old code still serves; then web, streaming and sidekiq stopped; all the migrations in one
 * {@code db:migrate} (without {@code SKIP_POST_DEPLOYMENT_MIGRATIONS}, which Mastodon refuses from before such a
 * cut-off); then the units started and checked; then the other after-restart tasks. A failure while the site is down
 * leaves it down: the new code must not serve a half-migrated schema, nor the old code a migrated one.
 */
final class DowntimeHop {
    private final HostShell shell;
    private final UpgradeRequest request;
    private final Clock clock;
    private final StepLog steps;
    private final UpgradeTasks upgradeTasks;
    private final List<TaskOutcome> tasks;
    private final List<ServiceOutcome> services;
    private DowntimeOutcome outcome;

    DowntimeHop(
            HostShell shell,
            UpgradeRequest request,
            Clock clock,
            StepLog steps,
            UpgradeTasks upgradeTasks,
            List<TaskOutcome> tasks,
            List<ServiceOutcome> services) {
        this.shell = shell;
        this.request = request;
        this.clock = clock;
        this.steps = steps;
        this.upgradeTasks = upgradeTasks;
        this.tasks = tasks;
        this.services = services;
    }

    /** The steps of such a hop after its checkout (and its pending-migrations preview). */
    static void plan(StepLog steps, UpgradePath.Hop hop) {
        String tag = hop.tag().name();
        if (!others(hop, Phase.AFTER_CHECKOUT).isEmpty()) {
            steps.plan("after-checkout tasks for " + tag, tag);
        }
        steps.plan(stopStep(tag), tag);
        if (migration(hop) != null) {
            steps.plan(migrateStep(tag), tag);
        }
        steps.plan(startStep(tag), tag);
        if (!others(hop, Phase.AFTER_RESTART).isEmpty()) {
            steps.plan("after-restart tasks for " + tag, tag);
        }
    }

    static String stopStep(String tag) {
        return "stop the site for " + tag;
    }

    static String migrateStep(String tag) {
        return "migrations for " + tag + " (site down)";
    }

    static String startStep(String tag) {
        return "start the site for " + tag;
    }

    /** The downtime, once the hop stopped the site (restored or left down), else null. */
    DowntimeOutcome outcome() {
        return outcome;
    }

    void run(UpgradePath.Hop hop, boolean dryRun) {
        String tag = hop.tag().name();
        List<PlanTask> before = others(hop, Phase.AFTER_CHECKOUT);
        if (!before.isEmpty()) {
            steps.run(
                    "after-checkout tasks for " + tag,
                    () -> ran(upgradeTasks.run(tag, hop.commit(), Phase.AFTER_CHECKOUT, before, tasks)),
                    dryRun);
        }
        Downtime downtime = new Downtime(shell, request.profile(), request.restartTimeouts(), clock);
        steps.run(stopStep(tag), () -> done(downtime.stop(tag, hop.downtime().describe(), request.actor())), dryRun);
        PlanTask migration = migration(hop);
        try {
            if (migration != null) {
                steps.run(
                        migrateStep(tag),
                        () -> ran(upgradeTasks.run(tag, hop.commit(), migration.phase(), List.of(migration), tasks)),
                        dryRun);
            }
            steps.run(startStep(tag), () -> done(downtime.start()), dryRun);
        } catch (FlowException e) {
            outcome = downtime.leftStopped(FlowException.firstLine(e.getMessage()));
            throw e;
        }
        outcome = downtime.restored();
        List<PlanTask> after = others(hop, Phase.AFTER_RESTART);
        if (!after.isEmpty()) {
            steps.run(
                    "after-restart tasks for " + tag,
                    () -> ran(upgradeTasks.run(tag, hop.commit(), Phase.AFTER_RESTART, after, tasks)),
                    dryRun);
        }
    }

    /** The hop's tasks of {@code phase} that are not migrations. */
    private static List<PlanTask> others(UpgradePath.Hop hop, Phase phase) {
        return hop.plan().tasks().stream()
                .filter(t -> t.phase() == phase && !UpgradeTasks.migrates(t))
                .toList();
    }

    /** Both migration phases as one full {@code db:migrate}, asked for by the releases that asked for either. */
    private static PlanTask migration(UpgradePath.Hop hop) {
        Set<String> releases = new LinkedHashSet<>();
        hop.plan().tasks().stream().filter(UpgradeTasks::migrates).forEach(t -> releases.addAll(t.releases()));
        if (releases.isEmpty()) {
            return null;
        }
        return new PlanTask(
                TaskKind.POST_DEPLOYMENT_MIGRATIONS,
                TaskKind.POST_DEPLOYMENT_MIGRATIONS.defaultCommand(),
                new ArrayList<>(releases));
    }

    private String done(List<ServiceOutcome> outcomes) {
        services.addAll(outcomes);
        return String.join(
                ", ",
                outcomes.stream()
                        .map(o -> o.name() + " " + o.result()
                                + (o.mainPidAfter() == null ? "" : " (PID " + o.mainPidAfter() + ")"))
                        .toList());
    }

    private static String ran(List<TaskOutcome> outcomes) {
        return outcomes.size() + " task(s): "
                + String.join(", ", outcomes.stream().map(TaskOutcome::command).toList());
    }
}
