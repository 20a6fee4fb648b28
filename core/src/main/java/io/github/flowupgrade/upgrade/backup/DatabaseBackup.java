package io.github.flowupgrade.upgrade.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.BackupCommands;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.HistoryCommands;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.upgrade.tasks.DetachedTask;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backup an upgrade takes before its first migration, on the host, as the application user: the free disk is
 * checked against the database's size first; {@code pg_dump -Fc} runs detached (it may take long, and a dropped
 * connection must not end it); {@code pg_restore --list} must read the dump; {@code .env.production} is copied beside
 * it; its path, size, SHA-256 and duration go into the audit trail and the result; the administrator's ship command,
 * if any, runs last. Anything that fails stops the upgrade before any migration (exit 4).
 */
public final class DatabaseBackup {
    /** Free space wanted beyond the database's size: a custom-format dump is compressed, but indexes are not. */
    static final int MARGIN_PERCENT = 20;

    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final HostShell shell;
    private final BackupPolicy policy;
    private final Duration dumpTimeout;
    private final Clock clock;
    private final BackupCommands commands;

    /** @param dumpTimeout the limit of the dump and its check, as for an upgrade task */
    public DatabaseBackup(HostShell shell, BackupPolicy policy, Duration dumpTimeout, Clock clock) {
        this.shell = shell;
        this.policy = policy;
        this.dumpTimeout = dumpTimeout;
        this.clock = clock;
        String appDir = shell.access().appDir();
        this.commands = new BackupCommands(
                appDir,
                policy.dirFor(appDir),
                BackupCommands.defaultDatabaseOf(shell.access().appUser()));
    }

    /**
     * Records that the backup was turned off for a run whose plan migrates: in the audit trail (who, how) and on the
     * console. Returns the outcome the result shows.
     */
    public static BackupOutcome skipped(HostShell shell, String actor, String target) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("by", actor);
        fields.put("how", Option.NO_BACKUP.neutral());
        fields.put("target", target);
        shell.audit().record(AuditEvents.BACKUP_SKIPPED, fields);
        shell.console()
                .warn("[" + shell.host() + "] no database backup before the migrations: turned off with "
                        + Option.NO_BACKUP.set());
        return BackupOutcome.skipped("turned off with " + Option.NO_BACKUP.set());
    }

    /** The dump's name: the release pair and the UTC time, such as {@code v4.2.0-to-v4.3.1-20261207T021800Z}. */
    public String name(String from, String target) {
        return plain(from == null ? "unknown" : from) + "-to-" + plain(target) + "-"
                + NAME_TIME.format(clock.instant());
    }

    private static String plain(String tag) {
        return tag.replaceAll("[^0-9A-Za-z._+-]", "_");
    }

    /**
     * Takes the backup and records it in the host's history (so a restore of it can tell which release it belongs
     * to); returns what it wrote, or throws (exit 4) with what failed and that nothing migrated.
     *
     * @param actor who runs the upgrade, for the history
     * @param build the CI build, or null
     */
    public BackupOutcome run(String from, String target, String actor, String build) {
        long started = System.nanoTime();
        String name = name(from, target);
        String dump = commands.dumpFile(name);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("path", dump);
        fields.put("from", from);
        fields.put("target", target);
        shell.audit().record(AuditEvents.BACKUP_STARTED, fields);
        try {
            BackupOutcome outcome = backUp(name, started);
            if (shell.executes()) {
                record(outcome, from, target, actor, build);
            }
            Map<String, Object> done = new LinkedHashMap<>(fields);
            done.putAll(outcome.toMap());
            shell.audit().record(AuditEvents.BACKUP_COMPLETED, done);
            return outcome;
        } catch (FlowException e) {
            Map<String, Object> failed = new LinkedHashMap<>(fields);
            failed.put("error", e.getMessage());
            failed.put("exitCode", e.exitCode().code());
            failed.put("durationMs", (System.nanoTime() - started) / 1_000_000);
            shell.audit().record(AuditEvents.BACKUP_FAILED, failed);
            throw e;
        }
    }

    private BackupOutcome backUp(String name, long started) {
        String dump = commands.dumpFile(name);
        ExecResult probe = shell.app(commands.probe());
        if (!shell.executes()) {
            DetachedTask task = new DetachedTask(shell, clock);
            task.run(task.newId("backup"), commands.dump(name), null, dumpTimeout, OutputSink.discard());
            if (policy.ship() != null) {
                shell.app(commands.ship(name, policy.ship()));
            }
            return new BackupOutcome(
                    BackupOutcome.PLANNED, dump, commands.envCopy(name), 0, null, 0, 0, policy.ship() != null, null);
        }
        if (!probe.succeeded()) {
            throw stop("reading the database's size and the free disk", commands.probe(), probe);
        }
        long[] sizes = parse(probe.stdout(), BackupCommands.PROBE_LINE);
        if (sizes == null) {
            throw FlowException.remoteFailed("the database backup on " + shell.host() + " could not read the"
                    + " database's size and the free disk (no answer from psql and df); nothing was migrated");
        }
        long databaseBytes = sizes[0];
        long freeBytes = sizes[1] * 1024;
        long needed = databaseBytes + databaseBytes * MARGIN_PERCENT / 100;
        if (freeBytes < needed) {
            throw FlowException.remoteFailed("too little disk for the database backup on " + shell.host() + ": "
                    + commands.backupDir() + " has " + mib(freeBytes) + " free, the backup wants " + mib(needed)
                    + " (the database's " + mib(databaseBytes) + " and " + MARGIN_PERCENT + "%). Nothing was changed"
                    + " and nothing migrated. Free some space or choose another directory with "
                    + Option.BACKUP_DIR.named() + ", then run again.");
        }
        shell.console()
                .info("[" + shell.host() + "] backing up the database (" + mib(databaseBytes) + ") to " + dump
                        + " before the migrations");
        DetachedTask task = new DetachedTask(shell, clock);
        Command dumpCommand = commands.dump(name);
        ExecResult dumped = task.run(task.newId("backup"), dumpCommand, null, dumpTimeout, OutputSink.discard());
        if (!dumped.succeeded()) {
            String what = dumped.exitCode() == BackupCommands.EXIT_UNREADABLE
                    ? "checking the dump with pg_restore --list"
                    : "the dump (pg_dump -Fc)";
            throw stop(what, dumpCommand, dumped);
        }
        long[] done = parse(dumped.stdout(), BackupCommands.DONE_LINE);
        String sha256 = lastWord(dumped.stdout(), BackupCommands.DONE_LINE);
        if (done == null || sha256 == null) {
            throw FlowException.remoteFailed("the database backup on " + shell.host() + " did not report its size and"
                    + " checksum; nothing was migrated. Look at " + commands.backupDir() + ".");
        }
        boolean shipped = false;
        if (policy.ship() != null) {
            Command ship = commands.ship(name, policy.ship());
            ExecResult result = shell.stream(As.APP, ship, dumpTimeout);
            if (!result.succeeded()) {
                throw stop("shipping the backup (" + Option.BACKUP_SHIP.named() + ")", ship, result);
            }
            shipped = true;
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        shell.console()
                .info("[" + shell.host() + "] backup checked: " + dump + " (" + mib(done[0]) + ", sha256 " + sha256
                        + ", " + ms + " ms)");
        return new BackupOutcome(
                BackupOutcome.DONE, dump, commands.envCopy(name), done[0], sha256, databaseBytes, ms, shipped, null);
    }

    private void record(BackupOutcome outcome, String from, String target, String actor, String build) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("operation", "backup");
        entry.put("backup", outcome.path());
        entry.put("sha256", outcome.sha256());
        entry.put("bytes", outcome.bytes());
        entry.put("from", from);
        entry.put("target", target);
        entry.put("actor", actor);
        entry.put("build", build);
        Command append;
        try {
            append = new HistoryCommands(HostLock.stateDir(shell.access().appDir()))
                    .append(new ObjectMapper().writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ExecResult appended = shell.app(append);
        if (!appended.succeeded()) {
            throw stop("recording it in the host's history", append, appended);
        }
    }

    private FlowException stop(String what, Command command, ExecResult result) {
        FlowException failure =
                shell.failure("the database backup (" + what + ")", command, result, Option.TASK_TIMEOUT, dumpTimeout);
        return FlowException.remoteFailed(failure.getMessage()
                + "\nNothing was migrated: the upgrade stops before its first migration without a checked backup."
                + " Fix the cause and run again, or run with " + Option.NO_BACKUP.set() + " if you back up yourself.");
    }

    /** The two numbers after {@code prefix} on the last line that starts with it, or null. */
    private static long[] parse(String output, String prefix) {
        String line = lastLine(output, prefix);
        if (line == null) {
            return null;
        }
        String[] words = line.substring(prefix.length()).strip().split("\\s+");
        try {
            return new long[] {Long.parseLong(words[0]), words.length > 1 ? parseOrZero(words[1]) : 0};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long parseOrZero(String word) {
        return word.matches("\\d+") ? Long.parseLong(word) : 0;
    }

    private static String lastWord(String output, String prefix) {
        String line = lastLine(output, prefix);
        if (line == null) {
            return null;
        }
        String[] words = line.strip().split("\\s+");
        String last = words[words.length - 1];
        return last.matches("[0-9a-f]{64}") ? last : null;
    }

    private static String lastLine(String output, String prefix) {
        String found = null;
        for (String line : output == null ? new String[0] : output.split("\n")) {
            if (line.startsWith(prefix)) {
                found = line;
            }
        }
        return found;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
