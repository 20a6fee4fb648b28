package io.github.flowupgrade.upgrade.instance;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.ReleaseLookup;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.upgrade.PlanPrinter;
import io.github.flowupgrade.upgrade.StepRecord;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.UpgradeSafety;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Answer;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Approved;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Denied;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import io.github.flowupgrade.upgrade.backup.BackupOutcome;
import io.github.flowupgrade.upgrade.backup.DatabaseBackup;
import io.github.flowupgrade.upgrade.checkout.Checkout;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.checkout.RunningRelease;
import io.github.flowupgrade.upgrade.preflight.PendingMigrations;
import io.github.flowupgrade.upgrade.preflight.Preflight;
import io.github.flowupgrade.upgrade.preflight.PreflightReport;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.ServiceRestarter;
import io.github.flowupgrade.upgrade.services.ServiceRestarts;
import io.github.flowupgrade.upgrade.services.StreamingDecision;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import io.github.flowupgrade.upgrade.tasks.TaskOutcome;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The upgrade of one instance whose web, sidekiq and streaming run on several hosts sharing one database: Mastodon's
 * upgrade steps, each done once where it belongs. Before anything changes, it reads the release every host runs (they
 * must agree), looks the range up once, checks the requirements on every host and gets the manual steps confirmed;
 * then it takes every host's lock (in {@link InstanceDescription#lockOrder()}), backs the database up on the
 * migration host, and for each hop:
 *
 * <ol>
 *   <li>checks the release out on every host, then runs the dependency and asset tasks on every host;
 *   <li>runs the pre-deployment migrations once, on the migration host;
 *   <li>restarts sidekiq on the sidekiq hosts;
 *   <li>reloads web on the web hosts one at a time, each healthy before the next; the first that is not stops the run,
 *       and the web hosts after it keep running the old code;
 *   <li>runs the post-deployment migrations once, on the migration host, now that every web host runs the new code.
 * </ol>
 *
 * <p>Then streaming is restarted on the streaming hosts behind one approval for the whole instance, and the locks are
 * released in the reverse order. Every step is recorded with the host it ran on; a run that stops says at which step,
 * on which host, and how to resume.
 */
public final class InstanceUpgrade {
    static final String BACKUP_STEP = "back up the database";
    static final String APPROVAL_STEP = "approve streaming restart";
    static final String STREAMING_STEP = "streaming restart";
    /** A host's status when the run stopped before all of its steps ran (elsewhere). */
    public static final String NOT_FINISHED = "not finished";

    private final InstanceDescription instance;
    private final InstanceConnections connections;
    private final AuditLog audit;
    private final Console console;
    private final Clock clock;

    private final Map<String, InstanceMember> members = new LinkedHashMap<>();
    private UpgradeRequest request;
    private InstanceSteps steps;
    private InstanceSafety safety;
    /** The host of the step that runs now (null between steps and for the instance's own steps). */
    private InstanceMember current;

    private BackupOutcome backup;
    private StreamingOutcome streaming;
    private boolean lockLeftHeld;

    public InstanceUpgrade(
            InstanceDescription instance,
            InstanceConnections connections,
            AuditLog audit,
            Console console,
            Clock clock) {
        this.instance = instance;
        this.connections = connections;
        this.audit = audit;
        this.console = console;
        this.clock = clock;
    }

    /**
     * @param release the lookup: its target, and its {@code from} when the caller knows what the instance runs (null:
     *     read on every host, which must agree)
     * @param streamingGate asked once, for the whole instance, before streaming is restarted
     * @param manualGate asked to confirm the release notes' manual steps when the request does not confirm them
     */
    public InstanceRun run(
            ReleaseLookupRequest release, UpgradeRequest request, ApprovalGate streamingGate, ApprovalGate manualGate) {
        this.request = request;
        this.steps = new InstanceSteps(instance.name(), audit);
        this.safety = new InstanceSafety(request, clock);
        long started = System.nanoTime();
        List<Transport> open = new ArrayList<>();
        try {
            String from = release.from();
            ReleaseLookupResult lookup;
            try {
                for (InstanceHost host : instance.hosts()) {
                    open.add(join(host));
                }
                if (from == null) {
                    from = runningRelease();
                }
                console.info("[" + instance.name() + "] instance of "
                        + instance.hosts().size() + " hosts runs "
                        + (from == null
                                ? "an unknown version (a dry run reads nothing: give " + Option.FROM.named() + ")"
                                : from)
                        + "; target " + release.tag());
                lookup = new ReleaseLookup(audit, console).run(release.withFrom(from));
            } catch (FlowException e) {
                console.warn("[" + instance.name() + "] " + e.getMessage());
                return InstanceRun.notStarted(
                        instance,
                        from,
                        release.tag(),
                        UpgradeResult.statusOf(e),
                        e.getMessage(),
                        e.exitCode().code());
            }
            printPlan(lookup);
            UpgradePath path = UpgradePath.of(lookup);
            return request.planOnly() ? plan(path) : upgrade(path, streamingGate, manualGate, started);
        } finally {
            for (Transport transport : open) {
                try {
                    transport.close();
                } catch (RuntimeException e) {
                    // The run's outcome is decided; a connection that does not close cleanly changes nothing.
                }
            }
        }
    }

    /** Connects to a host; reconnectable, so a migration can be followed again after a dropped connection. */
    private Transport join(InstanceHost host) {
        Transport transport = ReconnectingTransport.open(host.label(), connections.transports());
        InstanceConnections.Endpoint endpoint = connections.endpoint(host.label());
        HostShell shell = new HostShell(
                new HostAccess(
                        transport,
                        endpoint.login(),
                        endpoint.runAs(),
                        request.profile().dir()),
                request.commandTimeout(),
                audit,
                console);
        members.put(
                host.label(),
                new InstanceMember(
                        host,
                        shell,
                        new UpgradeTasks(shell, request.taskTimeout(), clock),
                        new ServiceRestarts(shell, request.profile(), request.restartTimeouts(), request.webAction())));
        return transport;
    }

    /** The release every host runs; they must all run the same one. */
    private String runningRelease() {
        Map<String, String> running = new LinkedHashMap<>();
        for (InstanceMember member : members.values()) {
            String release = RunningRelease.read(member.shell);
            if (!member.shell.executes()) {
                return null;
            }
            if (release == null) {
                throw FlowException.refused(
                        member.label() + ": " + request.profile().dir() + " is not on a release"
                                + " tag, so the releases in between cannot be known; give the version the instance runs"
                                + " with " + Option.FROM.withValue("vA.B.C"));
            }
            running.put(member.label(), release);
        }
        Set<String> releases = new LinkedHashSet<>(running.values());
        if (releases.size() > 1) {
            List<String> each = running.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .toList();
            throw FlowException.refused("the hosts of " + instance.name() + " run different releases ("
                    + String.join(", ", each) + "), as a run that stopped leaves them; nothing was changed. Give"
                    + " the release the instance ran before with " + Option.FROM.withValue("vA.B.C")
                    + " (the resume line of the run that stopped names it)");
        }
        return releases.iterator().next();
    }

    private InstanceRun upgrade(UpgradePath path, ApprovalGate streamingGate, ApprovalGate manualGate, long started) {
        boolean dryRun = !migrationMember().shell.executes();
        planSteps(path);
        InstanceMember migration = migrationMember();
        try {
            FlowException rolling = InstanceSafety.rollingRefusal(instance.name(), path);
            if (rolling != null) {
                step(
                        InstanceSafety.ROLLING_STEP,
                        null,
                        () -> {
                            throw rolling;
                        },
                        dryRun);
            }
            for (InstanceMember member : members.values()) {
                step(
                        "check requirements",
                        member,
                        () -> {
                            member.requirements =
                                    member.tasks.checkRequirements(path.plan().requirements());
                            return member.requirements.isEmpty()
                                    ? "the release notes name no minimum versions"
                                    : member.requirements.size() + " minimum version(s) met";
                        },
                        dryRun);
            }
            step(
                    "confirm manual steps",
                    null,
                    () -> {
                        migration.tasks.confirmManual(
                                path.plan().manual(), request.confirmManual(), request.actor(), manualGate, true);
                        return path.plan().manual().size() + " manual step(s) confirmed";
                    },
                    dryRun);
            lockAll(path, dryRun);
            installRubies(dryRun);
            if (path.migrates()) {
                step(BACKUP_STEP, migration, () -> backUp(path, migration), dryRun);
            }
            for (UpgradePath.Hop hop : path.hops()) {
                runHop(hop, migration, dryRun);
            }
            restartStreaming(path, streamingGate, dryRun);
            unlockAll(dryRun);
            String status = dryRun
                    ? UpgradeResult.PLANNED
                    : streaming != null && streaming.pending() ? UpgradeResult.PENDING : UpgradeResult.UPGRADED;
            InstanceRun run = result(path, started, status, null, 0, null);
            summary(run);
            return run;
        } catch (FlowException e) {
            InstanceMember failedOn = current;
            current = null;
            if (e instanceof ServiceRestarter.ServiceFailedException failed && failedOn != null) {
                failedOn.services.add(failed.outcome());
            }
            String unlockProblems = releaseAfterFailure();
            String status = e.exitCode() == ExitCode.REFUSED ? UpgradeResult.REFUSED : UpgradeResult.FAILED;
            String message = e.getMessage()
                    + (unlockProblems == null ? "" : "\n" + unlockProblems)
                    + migratedNote(path, migration);
            InstanceRun partial =
                    result(path, started, status, message, e.exitCode().code(), failedOn);
            InstanceRun run = result(
                    path,
                    started,
                    status,
                    message + "\n" + report(partial),
                    e.exitCode().code(),
                    failedOn);
            summary(run);
            return run;
        } catch (RuntimeException bug) {
            // Not an outcome the run knows how to report; still, never leave a host locked.
            releaseAfterFailure();
            throw bug;
        }
    }

    /** Every step the upgrade would take, each planned, nothing run, no lock taken. */
    private InstanceRun plan(UpgradePath path) {
        planSteps(path);
        console.info("[" + instance.name() + "] plan only: "
                + (path.hops().isEmpty()
                        ? "already on " + path.target()
                        : String.join(
                                " -> ",
                                path.hops().stream().map(h -> h.tag().name()).toList()))
                + "; nothing was changed");
        // Each host's pre-flight checks (the lock taken and given back in their one round trip), and the target's
        // pending migrations read on the migration host: shown before anyone is asked to confirm anything.
        FlowException refused = InstanceSafety.rollingRefusal(instance.name(), path);
        Map<String, FlowException> refusedOn = new LinkedHashMap<>();
        if (!path.hops().isEmpty() && migrationMember().shell.executes()) {
            String holder = HostLock.holderLine(
                    request.actor(),
                    request.build(),
                    "plan of the upgrade of instance " + instance.name() + " to " + path.target(),
                    clock.instant());
            for (InstanceMember member : members.values()) {
                FlowException failure =
                        safety.planChecks(member, path, holder, member.label().equals(instance.migrationHost()));
                if (failure != null) {
                    refusedOn.put(member.label(), failure);
                    console.warn("[" + member.label() + "] " + failure.getMessage());
                }
            }
        }
        if (refused == null && !refusedOn.isEmpty()) {
            Map.Entry<String, FlowException> first =
                    refusedOn.entrySet().iterator().next();
            refused = new FlowException(
                    first.getValue().exitCode(),
                    first.getKey() + ": " + first.getValue().getMessage());
        } else if (refused != null) {
            console.warn("[" + instance.name() + "] " + refused.getMessage());
        }
        List<InstanceStep> planned = steps.report(StepRecord.PLANNED);
        List<UpgradeResult> hosts = new ArrayList<>();
        for (InstanceMember m : members.values()) {
            FlowException own = refusedOn.get(m.label());
            hosts.add(
                    own == null
                            ? hostResult(m, path, planned, 0, UpgradeResult.PLANNED, null, 0)
                            : hostResult(
                                    m,
                                    path,
                                    planned,
                                    0,
                                    UpgradeResult.statusOf(own),
                                    own.getMessage(),
                                    own.exitCode().code()));
        }
        return new InstanceRun(
                instance,
                path.from(),
                path.target(),
                hops(path),
                path.releases(),
                path.commit(),
                path.plan(),
                planned,
                hosts,
                null,
                null,
                false,
                0,
                refused == null ? UpgradeResult.PLANNED : UpgradeResult.statusOf(refused),
                refused == null ? null : refused.getMessage(),
                refused == null ? 0 : refused.exitCode().code(),
                null,
                null,
                null);
    }

    private void planSteps(UpgradePath path) {
        InstanceMember migration = migrationMember();
        if (InstanceSafety.rollingRefusal(instance.name(), path) != null) {
            steps.plan(InstanceSafety.ROLLING_STEP, null, null);
        }
        for (InstanceMember member : members.values()) {
            steps.plan("check requirements", member.label(), null);
        }
        steps.plan("confirm manual steps", null, null);
        for (InstanceHost host : instance.lockOrder()) {
            steps.plan("lock", host.label(), null);
            if (!path.hops().isEmpty()) {
                steps.plan(Preflight.STEP, host.label(), null);
            }
        }
        if (path.migrates()) {
            steps.plan(BACKUP_STEP, migration.label(), null);
        }
        for (UpgradePath.Hop hop : path.hops()) {
            String tag = hop.tag().name();
            for (InstanceMember member : members.values()) {
                steps.plan("checkout " + tag, member.label(), tag);
            }
            if (hop.migrates()) {
                steps.plan(PendingMigrations.step(tag), migration.label(), tag);
            }
            if (!preparing(hop).isEmpty()) {
                for (InstanceMember member : members.values()) {
                    steps.plan("after-checkout tasks for " + tag, member.label(), tag);
                }
            }
            if (!preMigrations(hop).isEmpty()) {
                steps.plan("pre-deployment migrations for " + tag, migration.label(), tag);
            }
            for (InstanceMember member : with(Role.SIDEKIQ)) {
                steps.plan("restart sidekiq for " + tag, member.label(), tag);
            }
            for (InstanceMember member : with(Role.WEB)) {
                steps.plan(webStep(tag), member.label(), tag);
            }
            if (!afterRestart(hop).isEmpty()) {
                steps.plan("post-deployment migrations for " + tag, migration.label(), tag);
            }
        }
        steps.plan(APPROVAL_STEP, null, null);
        for (InstanceMember member : with(Role.STREAMING)) {
            steps.plan(STREAMING_STEP, member.label(), null);
        }
        for (InstanceHost host : instance.unlockOrder()) {
            steps.plan("unlock", host.label(), null);
        }
    }

    /**
     * Every host's lock, in the instance's lock order: a run that finds one held by another run is refused there and
     * gives back the ones it took. Each host keeps its own lock (not only the migration host's) because a single-host
     * run ({@code checkout}, {@code restart}, an upgrade of that host alone) takes that host's lock only.
     */
    private void lockAll(UpgradePath path, boolean dryRun) {
        String holder = HostLock.holderLine(
                request.actor(),
                request.build(),
                "upgrade of instance " + instance.name() + " to " + path.target(),
                clock.instant());
        for (InstanceHost host : instance.lockOrder()) {
            InstanceMember member = members.get(host.label());
            if (path.hops().isEmpty()) {
                // Nothing to deploy (a streaming restart on the release the instance runs): the lock alone.
                step(
                        "lock",
                        member,
                        () -> {
                            member.lock = HostLock.acquire(
                                    member.shell,
                                    HostLock.stateDir(member.shell.access().appDir()),
                                    holder,
                                    request.forceUnlock());
                            return holder;
                        },
                        dryRun);
                continue;
            }
            // The lock and the pre-flight checks in one round trip; a failed check refuses the run with this host
            // locked, and releaseAfterFailure gives back every lock taken so far.
            FlowException[] failed = new FlowException[1];
            step(
                    "lock",
                    member,
                    () -> {
                        failed[0] = safety.lockAndCheck(member, path, holder);
                        return holder + " (taken with the pre-flight's commands)";
                    },
                    dryRun);
            step(
                    Preflight.STEP,
                    member,
                    () -> {
                        if (failed[0] != null) {
                            throw failed[0];
                        }
                        return member.preflight == null ? "not run" : member.preflight.summary();
                    },
                    dryRun);
        }
    }

    /** The Rubies the pre-flight checks planned to install (the policy allows it), before anything else changes. */
    private void installRubies(boolean dryRun) {
        for (InstanceHost host : instance.lockOrder()) {
            InstanceMember member = members.get(host.label());
            if (member.preflight == null) {
                continue;
            }
            for (PreflightReport.RubyNeed need : member.preflight.rubyInstalls()) {
                String name = io.github.flowupgrade.upgrade.preflight.RubyInstall.step(need.version());
                steps.plan(name, member.label(), null);
                step(name, member, () -> safety.installRuby(member, need), dryRun);
            }
        }
    }

    private void runHop(UpgradePath.Hop hop, InstanceMember migration, boolean dryRun) {
        String tag = hop.tag().name();
        console.info("");
        console.info("[" + instance.name() + "] == " + tag + " on " + members.size() + " hosts (carries out the"
                + " instructions of " + String.join(", ", hop.releases()) + ")");
        for (InstanceMember member : members.values()) {
            step("checkout " + tag, member, () -> checkout(member, hop), dryRun);
        }
        if (hop.migrates()) {
            // Read before any of them runs: what the schema is about to go through, in the report and the trail.
            step(
                    PendingMigrations.step(tag),
                    migration,
                    () -> PendingMigrations.preview(migration.shell, tag, migration.previews),
                    dryRun);
        }
        List<PlanTask> preparing = preparing(hop);
        if (!preparing.isEmpty()) {
            for (InstanceMember member : members.values()) {
                step(
                        "after-checkout tasks for " + tag,
                        member,
                        () -> ran(member.tasks.run(
                                tag, hop.commit(), Phase.AFTER_CHECKOUT, preparing, member.taskOutcomes)),
                        dryRun);
            }
        }
        List<PlanTask> pre = preMigrations(hop);
        if (!pre.isEmpty()) {
            step(
                    "pre-deployment migrations for " + tag,
                    migration,
                    () -> ran(
                            migration.tasks.run(tag, hop.commit(), Phase.AFTER_CHECKOUT, pre, migration.taskOutcomes)),
                    dryRun);
        }
        for (InstanceMember member : with(Role.SIDEKIQ)) {
            step(
                    "restart sidekiq for " + tag,
                    member,
                    () -> {
                        List<ServiceOutcome> outcomes = member.restarts.restartSidekiq();
                        if (!member.has(Role.WEB)) {
                            // A host with web checks its sidekiq once more with web's commands; this one now.
                            member.restarts.verifySettled();
                        }
                        return servicesDone(member, outcomes);
                    },
                    dryRun);
        }
        for (InstanceMember member : with(Role.WEB)) {
            step(webStep(tag), member, () -> servicesDone(member, member.restarts.reloadWeb()), dryRun);
        }
        List<PlanTask> post = afterRestart(hop);
        if (!post.isEmpty()) {
            step(
                    "post-deployment migrations for " + tag,
                    migration,
                    () -> ran(
                            migration.tasks.run(tag, hop.commit(), Phase.AFTER_RESTART, post, migration.taskOutcomes)),
                    dryRun);
        }
    }

    private String checkout(InstanceMember member, UpgradePath.Hop hop) {
        CheckoutRequest checkoutRequest = new CheckoutRequest(
                member.shell.access().appDir(),
                hop.tag(),
                hop.commit(),
                false,
                request.forceUnlock(),
                request.actor(),
                request.build(),
                request.keepLocalCommits());
        // The run holds the host's lock already.
        CheckoutResult result = new Checkout(member.shell, checkoutRequest, clock, Checkout.LockUse.HELD, null).run();
        member.checkouts.add(result);
        if (!result.succeeded()) {
            throw new FlowException(ExitCode.of(result.exitCode()), result.error());
        }
        return result.status() + ": "
                + (result.previous() == null ? "?" : result.previous().display()) + " -> "
                + (result.current() == null ? "?" : result.current().display());
    }

    /**
     * The backup before the first migration, on the migration host (the database is the instance's), or the record
     * that it was turned off; the migrations are then recorded in that host's history with it.
     */
    private String backUp(UpgradePath path, InstanceMember migration) {
        HostShell shell = migration.shell;
        if (!request.backup().enabled()) {
            backup = DatabaseBackup.skipped(shell, request.actor(), path.target());
            migration.tasks.recordMigrations(new UpgradeTasks.MigrationRecord(request.actor(), request.build(), null));
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
        migration.tasks.recordMigrations(
                new UpgradeTasks.MigrationRecord(request.actor(), request.build(), backup.path()));
        if (!shell.executes()) {
            return "pg_dump -Fc to " + backup.path() + ", checked with pg_restore --list";
        }
        return backup.path() + " (" + backup.bytes() + " bytes, sha256 "
                + backup.sha256().substring(0, 12) + "..., checked with pg_restore --list"
                + (backup.shipped() ? ", shipped" : "") + ")";
    }

    /**
     * The streaming restart: decided once for the instance, approved once (one question names every streaming host),
     * then done on each streaming host in turn, each checked healthy.
     */
    private void restartStreaming(UpgradePath path, ApprovalGate gate, boolean dryRun) {
        StreamingDecision decision = decideStreaming(path);
        List<InstanceMember> streamers = with(Role.STREAMING);
        Answer[] answer = new Answer[1];
        if (decision.needed()) {
            List<String> units = request.profile().services().streaming();
            step(
                    APPROVAL_STEP,
                    null,
                    () -> {
                        answer[0] = gate.ask(new ApprovalRequest(
                                instance.name(),
                                "restart " + String.join(", ", units) + " on "
                                        + String.join(
                                                ", ",
                                                streamers.stream()
                                                        .map(InstanceMember::label)
                                                        .toList()),
                                decision.reason(),
                                path.releases()));
                        if (!(answer[0] instanceof Approved) && !(answer[0] instanceof Denied)) {
                            steps.endsPending();
                        }
                        return answerText(answer[0]);
                    },
                    dryRun);
        } else {
            steps.record(APPROVAL_STEP, null, StepRecord.SKIPPED, 0, "not needed: " + decision.reason());
        }
        // Every streaming host gets the one answer; none is asked again.
        ApprovalGate once = asked -> answer[0];
        List<StreamingOutcome> outcomes = new ArrayList<>();
        for (InstanceMember member : streamers) {
            step(
                    STREAMING_STEP,
                    member,
                    () -> {
                        member.streaming = member.restarts.streaming(decision, path.releases(), once);
                        member.services.addAll(member.streaming.services());
                        outcomes.add(member.streaming);
                        if (member.streaming.pending()) {
                            steps.endsPending();
                        }
                        return member.streaming.status() + ": " + member.streaming.reason();
                    },
                    dryRun);
        }
        StreamingOutcome first = outcomes.get(0);
        streaming = new StreamingOutcome(
                first.needed(),
                first.reason(),
                first.approved(),
                first.approvedBy(),
                first.approvedAt(),
                outcomes.stream().allMatch(StreamingOutcome::restarted),
                first.status(),
                outcomes.stream().flatMap(o -> o.services().stream()).toList());
    }

    private StreamingDecision decideStreaming(UpgradePath path) {
        boolean planSays = path.plan().streamingRestart()
                || path.hops().stream().anyMatch(h -> h.plan().streamingRestart());
        List<String> askedBy = path.hops().stream()
                .filter(h -> h.plan().streamingRestart())
                .flatMap(h -> h.releases().stream())
                .toList();
        List<CheckoutResult> checkouts =
                with(Role.STREAMING).stream().flatMap(m -> m.checkouts.stream()).toList();
        Boolean checkoutSays = checkouts.isEmpty() || !migrationMember().shell.executes()
                ? null
                : checkouts.stream()
                        .anyMatch(c -> c.changed() != null && c.changed().streaming());
        return StreamingDecision.decide(request.streaming(), planSays, askedBy, checkoutSays);
    }

    private static String answerText(Answer answer) {
        if (answer instanceof Approved approved) {
            return "approved by " + approved.by();
        }
        if (answer instanceof Denied denied) {
            return "denied by " + denied.by();
        }
        return answer instanceof ApprovalGate.TimedOut ? "no answer in time" : "pending approval";
    }

    /** Releases the locks in the reverse of the order they were taken in. */
    private void unlockAll(boolean dryRun) {
        for (InstanceHost host : instance.unlockOrder()) {
            InstanceMember member = members.get(host.label());
            step(
                    "unlock",
                    member,
                    () -> {
                        HostLock lock = member.lock;
                        member.lock = null;
                        try {
                            lock.close();
                        } catch (FlowException e) {
                            lockLeftHeld = true;
                            throw e;
                        }
                        return "released";
                    },
                    dryRun);
        }
    }

    /** After a failure: every lock still held, in reverse order; null when all went, else what stayed and why. */
    private String releaseAfterFailure() {
        List<String> problems = new ArrayList<>();
        for (InstanceHost host : instance.unlockOrder()) {
            InstanceMember member = members.get(host.label());
            HostLock lock = member.lock;
            if (lock == null) {
                continue;
            }
            member.lock = null;
            try {
                lock.close();
                steps.record("unlock", member.label(), StepRecord.DONE, 0, "released after the failure");
            } catch (FlowException e) {
                lockLeftHeld = true;
                steps.record("unlock", member.label(), StepRecord.FAILED, 0, FlowException.firstLine(e.getMessage()));
                problems.add("The lock on " + member.label() + " could not be released: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return String.join("\n", problems) + " (remove it with " + Option.FORCE_UNLOCK.set()
                + " once you checked the host)";
    }

    private String step(String name, InstanceMember member, Supplier<String> work, boolean dryRun) {
        current = member;
        String detail = steps.run(name, member == null ? null : member.label(), work, dryRun);
        current = null;
        return detail;
    }

    private InstanceRun result(
            UpgradePath path, long started, String status, String error, int exitCode, InstanceMember failedOn) {
        InstanceMember migration = migrationMember();
        boolean migrated = migration.tasks.migrationsStarted();
        boolean changed = members.values().stream()
                .flatMap(m -> m.checkouts.stream())
                .anyMatch(c -> "checked-out".equals(c.status()));
        UpgradeResult.Resume resume = exitCode == 0
                ? null
                : new UpgradeResult.Resume(path.target(), path.from(), lockLeftHeld || request.forceUnlock());
        String rollbackTo = exitCode != 0 && changed && !migrated ? path.from() : null;
        List<InstanceStep> report = steps.report(StepRecord.NOT_RUN);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        List<UpgradeResult> hosts = new ArrayList<>();
        for (InstanceMember member : members.values()) {
            boolean failedHere = exitCode != 0 && member == failedOn;
            String hostStatus;
            if (failedHere) {
                hostStatus = status;
            } else if (exitCode != 0) {
                boolean finished = report.stream()
                        .filter(s -> member.label().equals(s.host()))
                        .noneMatch(s -> StepRecord.NOT_RUN.equals(s.status()));
                hostStatus = finished ? UpgradeResult.UPGRADED : NOT_FINISHED;
            } else if (UpgradeResult.PENDING.equals(status)) {
                hostStatus = member.streaming != null && member.streaming.pending()
                        ? UpgradeResult.PENDING
                        : UpgradeResult.UPGRADED;
            } else {
                hostStatus = status;
            }
            hosts.add(hostResult(
                    member,
                    path,
                    report,
                    durationMs,
                    hostStatus,
                    failedHere ? error : null,
                    failedHere ? exitCode : 0));
        }
        return new InstanceRun(
                instance,
                path.from(),
                path.target(),
                hops(path),
                path.releases(),
                path.commit(),
                path.plan(),
                report,
                hosts,
                streaming,
                backup,
                migrated,
                durationMs,
                status,
                error,
                exitCode,
                exitCode == 0 ? null : steps.failed(),
                resume,
                rollbackTo);
    }

    /** One host's part, in the shape of a single host's upgrade result (without a resume: the instance resumes). */
    private UpgradeResult hostResult(
            InstanceMember member,
            UpgradePath path,
            List<InstanceStep> report,
            long durationMs,
            String status,
            String error,
            int exitCode) {
        boolean migrationHost = member.label().equals(instance.migrationHost());
        List<StepRecord> own = report.stream()
                .filter(s -> member.label().equals(s.host()))
                .map(s -> new StepRecord(s.name(), s.hop(), s.status(), s.durationMs(), s.detail()))
                .toList();
        return new UpgradeResult(
                member.label(),
                path.from(),
                path.target(),
                hops(path),
                member.requirements,
                own,
                member.checkouts,
                member.taskOutcomes,
                member.services,
                member.streaming,
                durationMs,
                status,
                error,
                exitCode,
                null,
                null,
                path.releases(),
                path.commit(),
                path.plan(),
                migrationHost ? backup : null,
                migrationHost && member.tasks.migrationsStarted(),
                new UpgradeSafety(member.preflight, member.previews, null));
    }

    /** After a failure once migrations started: the code must not simply go back, and the backup is the way back. */
    private String migratedNote(UpgradePath path, InstanceMember migration) {
        if (!migration.tasks.migrationsStarted()) {
            return "";
        }
        String restore = backup != null && backup.path() != null
                ? "restore the database from " + backup.path() + " on " + migration.label()
                        + " first (docs/checkout.md, \"Restoring a backup\")"
                : "restore the database from your own backup first (flow took none)";
        return "\nDatabase migrations ran on " + migration.label() + " for the whole instance: do not roll the code"
                + " back to " + path.from() + " alone (old code on the new schema is unsafe). Finish the upgrade, or "
                + restore + ".";
    }

    /** Where the run stopped, what it did not reach, and every step with its host. */
    private String report(InstanceRun run) {
        StringBuilder out = new StringBuilder();
        InstanceStep stopped = run.stoppedAt();
        if (stopped != null) {
            out.append("Stopped at: ").append(stopped.where()).append('.');
            List<String> untouched = run.steps().stream()
                    .filter(s ->
                            StepRecord.NOT_RUN.equals(s.status()) && s.name().equals(stopped.name()))
                    .map(InstanceStep::host)
                    .toList();
            if (stopped.hop() != null && stopped.name().equals(webStep(stopped.hop())) && !untouched.isEmpty()) {
                out.append(" Web was not touched on ")
                        .append(String.join(", ", untouched))
                        .append(": it still serves the old code there.");
            }
            List<String> notReached = run.steps().stream()
                    .filter(s ->
                            StepRecord.NOT_RUN.equals(s.status()) && !s.name().equals("unlock"))
                    .map(InstanceStep::where)
                    .toList();
            if (!notReached.isEmpty()) {
                out.append("\nNot reached: ").append(String.join("; ", notReached));
            }
            out.append('\n');
        }
        out.append("What happened on instance ").append(instance.name()).append(':');
        for (InstanceStep step : run.steps()) {
            out.append("\n  ").append(mark(step.status())).append(' ').append(step.where());
            if (step.detail() != null && !StepRecord.NOT_RUN.equals(step.status())) {
                out.append(" (").append(step.detail()).append(')');
            }
        }
        return out.toString();
    }

    private void summary(InstanceRun run) {
        console.info("");
        console.info("Summary for instance " + instance.name() + ": " + run.status() + " (" + run.from() + " -> "
                + run.target()
                + (run.hops().isEmpty() ? ", nothing to deploy" : " via " + String.join(", ", run.hops()))
                + ", " + run.durationMs() + " ms)");
        for (InstanceStep step : run.steps()) {
            console.info("  " + mark(step.status()) + " " + step.where() + "  " + step.durationMs() + " ms"
                    + (step.detail() == null ? "" : "  " + step.detail()));
        }
        if (run.streaming() != null && run.streaming().pending()) {
            console.warn("Pending: the streaming restart of instance " + instance.name() + " waits for approval ("
                    + run.streaming().reason() + ").");
        }
    }

    private static String mark(String status) {
        return switch (status) {
            case StepRecord.DONE -> "[done]   ";
            case StepRecord.FAILED -> "[FAILED] ";
            case StepRecord.PLANNED -> "[planned]";
            case StepRecord.PENDING -> "[pending]";
            case StepRecord.SKIPPED -> "[skipped]";
            default -> "[not run]";
        };
    }

    /** The plan, and where each of its tasks runs. */
    private void printPlan(ReleaseLookupResult r) {
        PlanPrinter.print(
                console,
                "Plan for instance " + instance.name(),
                r,
                request,
                task -> "  "
                        + (UpgradeTasks.migrates(task) ? "once, on " + instance.migrationHost() : "on every host"));
        for (Role role : Role.values()) {
            console.info("  " + role.wireName() + ": "
                    + String.join(
                            ", ", with(role).stream().map(InstanceMember::label).toList())
                    + (role == Role.WEB ? " (reloaded in this order, each healthy before the next)" : ""));
        }
        console.info("  migrations and the database backup: " + instance.migrationHost());
    }

    private String servicesDone(InstanceMember member, List<ServiceOutcome> outcomes) {
        member.services.addAll(outcomes);
        return String.join(
                ", ",
                outcomes.stream()
                        .map(o -> o.name() + " " + o.result() + " (PID " + o.mainPidBefore() + " -> " + o.mainPidAfter()
                                + ")")
                        .toList());
    }

    private static String ran(List<TaskOutcome> outcomes) {
        return outcomes.size() + " task(s): "
                + String.join(", ", outcomes.stream().map(TaskOutcome::command).toList());
    }

    /** "reload web for v4.3.1", or "restart web for ..." when web is restarted instead. */
    private String webStep(String tag) {
        return request.webAction().verb() + " web for " + tag;
    }

    /** The after-checkout tasks every host runs: dependencies and assets, no migration. */
    private static List<PlanTask> preparing(UpgradePath.Hop hop) {
        return hop.plan().tasks().stream()
                .filter(t -> t.phase() == Phase.AFTER_CHECKOUT && !UpgradeTasks.migrates(t))
                .toList();
    }

    /** The after-checkout migrations (pre-deployment), run once on the migration host. */
    private static List<PlanTask> preMigrations(UpgradePath.Hop hop) {
        return hop.plan().tasks().stream()
                .filter(t -> t.phase() == Phase.AFTER_CHECKOUT && UpgradeTasks.migrates(t))
                .toList();
    }

    /** The after-restart tasks (the post-deployment migrations), run once on the migration host. */
    private static List<PlanTask> afterRestart(UpgradePath.Hop hop) {
        return hop.plan().tasks().stream()
                .filter(t -> t.phase() == Phase.AFTER_RESTART)
                .toList();
    }

    private static List<String> hops(UpgradePath path) {
        return path.hops().stream().map(h -> h.tag().name()).toList();
    }

    private List<InstanceMember> with(Role role) {
        return members.values().stream().filter(m -> m.has(role)).toList();
    }

    private InstanceMember migrationMember() {
        return Objects.requireNonNull(members.get(instance.migrationHost()), "migration host");
    }
}
