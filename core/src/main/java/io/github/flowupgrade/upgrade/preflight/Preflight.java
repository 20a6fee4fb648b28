package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.BackupCommands;
import io.github.flowupgrade.commands.GitCommands;
import io.github.flowupgrade.commands.LockCommands;
import io.github.flowupgrade.commands.MigrationCommands;
import io.github.flowupgrade.commands.PreflightCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.host.HostShell.Step;
import io.github.flowupgrade.remote.ExecResult;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pre-flight checks of one host, before anything on it changes: memory and swap for the asset build, free disk,
 * the Ruby, Node.js and yarn each hop's release names, and the settings its {@code .env.production.sample} requires.
 * One round trip: the host's lock, {@code git fetch --tags}, the release files of the running release and of each hop
 * (read from the tags in one command, nothing checked out), and the host's probes (one command) travel as one script. The result is a
 * table (pass, warn, fail) on the console, in the audit trail and in the run's result; a failure refuses the run
 * (exit 3) unless the policy makes that check a warning.
 */
public final class Preflight {
    public static final String STEP = "pre-flight checks";

    /** How the round trip treats the host's lock. */
    public enum LockUse {
        /** Takes it with its first command and keeps it for the upgrade (the fetch must succeed). */
        TAKE,
        /** Takes it and releases it in the same round trip: the plan of a run that changes nothing. */
        BRIEF
    }

    /**
     * What to check.
     *
     * @param targets each hop's release tag, in order
     * @param assetHops the hops whose plan recompiles assets (the memory check applies to them)
     * @param holder the lock's holder line
     * @param preview a tag whose pending migrations to read in the same round trip (a plan), or null
     */
    public record Request(
            List<ReleaseTag> targets,
            List<String> assetHops,
            String holder,
            boolean forceUnlock,
            LockUse lockUse,
            ReleaseTag preview,
            List<Step> then) {
        public Request {
            targets = List.copyOf(targets);
            assetHops = List.copyOf(assetHops);
            then = List.copyOf(then);
            if (!then.isEmpty() && lockUse != LockUse.TAKE) {
                throw new IllegalArgumentException("steps to send along need the lock kept");
            }
        }

        public Request(
                List<ReleaseTag> targets,
                List<String> assetHops,
                String holder,
                boolean forceUnlock,
                LockUse lockUse,
                ReleaseTag preview) {
            this(targets, assetHops, holder, forceUnlock, lockUse, preview, List.of());
        }

        /**
         * This request, with {@code steps} sent after the checks in the same round trip, under the lock and after the
         * fetch (the first checkout's reads): their results come back from {@link #thenResults()}.
         */
        public Request then(List<Step> steps) {
            return new Request(targets, assetHops, holder, forceUnlock, lockUse, preview, steps);
        }
    }

    /**
     * How it went.
     *
     * @param lock the host's lock, held (with {@link LockUse#TAKE}, also after a failure, for the caller to release),
     *     or null
     * @param failure why the run must stop (a failed check: exit 3; a failed fetch: exit 4), or null
     */
    public record Outcome(PreflightReport report, HostLock lock, PendingMigrations preview, FlowException failure) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostShell shell;
    private final PreflightPolicy policy;
    private final PreflightCommands commands;
    /** Splits the release files' and the probes' output; random per run, so no file's content can forge it. */
    private final String marker;

    private List<ExecResult> thenResults = List.of();

    public Preflight(HostShell shell, PreflightPolicy policy) {
        this.shell = shell;
        this.policy = policy;
        this.commands = new PreflightCommands(shell.access().appDir());
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        this.marker = "FLOW-FILE-" + HexFormat.of().formatHex(random);
    }

    /**
     * The results of the request's {@link Request#then} steps, once {@link #run} sent them (null for a step that never
     * started because a required one before it failed: the lock or the fetch).
     */
    public List<ExecResult> thenResults() {
        return thenResults;
    }

    public Outcome run(Request request) {
        long started = System.nanoTime();
        String appDir = shell.access().appDir();
        LockCommands lockCommands = new LockCommands(HostLock.stateDir(appDir));
        if (request.forceUnlock() && request.lockUse() == LockUse.TAKE) {
            HostLock.removeStale(shell, lockCommands);
        }
        boolean take = request.lockUse() == LockUse.TAKE;
        List<Step> steps = new ArrayList<>();
        steps.add(Step.required(As.APP, lockCommands.acquire(request.holder()), shell.commandTimeout()));
        GitCommands git = new GitCommands(appDir);
        steps.add(
                take
                        ? Step.required(As.APP, git.fetchTags(), shell.commandTimeout())
                        : Step.of(As.APP, git.fetchTags(), shell.commandTimeout()));
        int filesAt = steps.size();
        List<ReleaseTag> revisions = new ArrayList<>();
        revisions.add(null);
        revisions.addAll(request.targets());
        steps.add(quick(commands.files(revisions, marker)));
        int probesAt = steps.size();
        steps.add(quick(commands.probes(marker)));
        int previewAt = steps.size();
        MigrationCommands migrations = migrationCommands(shell);
        if (request.preview() != null) {
            steps.add(quick(migrations.files(request.preview())));
            steps.add(quick(migrations.applied()));
        }
        int thenAt = steps.size();
        steps.addAll(request.then());
        if (!take) {
            steps.add(quick(lockCommands.release()));
        }
        List<ExecResult> results = shell.batch(steps);
        thenResults =
                new ArrayList<>(results.subList(thenAt, thenAt + request.then().size()));

        ExecResult acquired = results.get(0);
        if (acquired == null || !acquired.succeeded()) {
            FlowException refusal = HostLock.refusal(shell, lockCommands, request.holder(), acquired);
            if (take) {
                throw refusal;
            }
            // A plan changes nothing: another run's lock only means the checks wait for the upgrade itself.
            String note = "not run: " + FlowException.firstLine(refusal.getMessage());
            shell.console().warn("[" + shell.host() + "] pre-flight checks " + note);
            return new Outcome(new PreflightReport(List.of(), List.of(), millisSince(started), note), null, null, null);
        }
        HostLock lock = take ? HostLock.taken(shell, lockCommands, request.holder()) : null;
        if (!take) {
            ExecResult released = results.get(results.size() - 1);
            if (released == null || !released.succeeded()) {
                FlowException failed = shell.failure(
                        "releasing the lock after the plan's pre-flight checks", lockCommands.release(), released);
                return new Outcome(null, null, null, failed);
            }
        }
        ExecResult fetched = results.get(1);
        if (take && !fetched.succeeded()) {
            return new Outcome(
                    null,
                    lock,
                    null,
                    shell.failure("fetching tags for the pre-flight checks", git.fetchTags(), fetched));
        }
        if (!shell.executes()) {
            List<PreflightCheck> planned = PreflightPolicy.CHECKS.stream()
                    .map(name -> new PreflightCheck(name, PreflightCheck.PLANNED, "a dry run reads nothing"))
                    .toList();
            return new Outcome(new PreflightReport(planned, List.of(), 0, null), lock, null, null);
        }
        List<String> names = new ArrayList<>();
        names.add("HEAD");
        request.targets().forEach(tag -> names.add(tag.name()));
        List<ReleaseFiles> read = ReleaseFiles.parse(names, results.get(filesAt), marker);
        ReleaseFiles running = read.get(0);
        List<ReleaseFiles> targets = read.subList(1, read.size());
        HostFacts host = HostFacts.parse(results.get(probesAt), marker);
        List<PreflightCheck> checks = new ArrayList<>();
        checks.add(MemoryCheck.evaluate(host.memoryKb(), request.assetHops(), policy.assetsMemoryMib()));
        checks.add(DiskCheck.evaluate(host.diskFreeKb(), host.diskMount(), appDir, policy.minFreeDiskMib()));
        List<ReleaseFiles> readable =
                targets.stream().filter(ReleaseFiles::read).toList();
        String unread = String.join(
                ", ",
                targets.stream()
                        .filter(t -> !t.read())
                        .map(ReleaseFiles::revision)
                        .toList());
        RubyCheck.Outcome ruby =
                RubyCheck.evaluate(readable, running, host, shell.access().appUser(), policy.allowToolchainInstall());
        checks.add(unreadNote(ruby.check(), unread));
        checks.add(unreadNote(NodeCheck.evaluate(readable, running, host), unread));
        checks.add(unreadNote(ConfigCheck.evaluate(readable, running, host), unread));
        List<PreflightCheck> judged = checks.stream()
                .map(c -> policy.warnOnly().contains(c.name())
                        ? c.downgraded(Option.PREFLIGHT_WARN.withValue(c.name()))
                        : c)
                .toList();
        PreflightReport report = new PreflightReport(judged, ruby.installs(), millisSince(started), null);
        show(report);
        record(report);
        PendingMigrations preview = request.preview() == null
                ? null
                : PendingMigrations.of(
                        shell, request.preview().name(), results.get(previewAt), results.get(previewAt + 1));
        FlowException failure = report.failures().isEmpty() ? null : refusal(report);
        return new Outcome(report, lock, preview, failure);
    }

    /** The database settings' default for this host's application user, as the backup has it. */
    static MigrationCommands migrationCommands(HostShell shell) {
        return new MigrationCommands(
                shell.access().appDir(),
                BackupCommands.defaultDatabaseOf(shell.access().appUser()));
    }

    private Step quick(io.github.flowupgrade.commands.Command command) {
        return Step.of(As.APP, command, shell.commandTimeout());
    }

    /** A check about the releases that could not read some of them says so (the checkout then refuses the tag). */
    private static PreflightCheck unreadNote(PreflightCheck check, String unread) {
        if (unread.isEmpty()) {
            return check;
        }
        String detail = check.detail() + "; " + unread + " could not be read after the fetch (not checked)";
        return check.failed()
                ? new PreflightCheck(check.name(), check.status(), detail)
                : PreflightCheck.warn(check.name(), detail);
    }

    private void show(PreflightReport report) {
        String host = shell.host();
        shell.console().info("[" + host + "] pre-flight checks (one round trip, " + report.durationMs() + " ms):");
        for (PreflightCheck check : report.checks()) {
            String status = check.failed() ? "FAIL" : check.status();
            shell.console().info(String.format("  %-7s %-5s %s", check.name(), status, check.detail()));
        }
    }

    private void record(PreflightReport report) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.putAll(report.toMap());
        shell.audit().record(AuditEvents.PREFLIGHT_CHECKED, fields);
    }

    private FlowException refusal(PreflightReport report) {
        StringBuilder message =
                new StringBuilder("pre-flight checks failed on " + shell.host() + "; nothing was changed:");
        for (PreflightCheck check : report.failures()) {
            message.append("\n  ").append(check.name()).append(": ").append(check.detail());
        }
        message.append("\nPut it right and run again; or, knowing the risk, make a check a warning with ")
                .append(Option.PREFLIGHT_WARN.withValue(String.join(
                        ",",
                        report.failures().stream().map(PreflightCheck::name).toList())))
                .append('.');
        return FlowException.refused(message.toString());
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
