package io.github.flowupgrade.upgrade.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.BackupCommands;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.HistoryCommands;
import io.github.flowupgrade.commands.SystemctlCommands;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Answer;
import io.github.flowupgrade.upgrade.approval.ApprovalGate.Approved;
import io.github.flowupgrade.upgrade.approval.ApprovalRequest;
import io.github.flowupgrade.upgrade.tasks.DetachedTask;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code flow restore}: puts a database back from a backup {@code flow upgrade} took, never on its own. Under the
 * host's lock it checks the dump ({@code pg_restore --list}, its SHA-256, and that the application's role may drop and
 * create its database), asks a human to confirm (nothing changed before that), stops every service of the
 * application, drops the database, creates it again and restores the dump (detached, like a migration), and records
 * the restore in the host's history, so a rollback to the release the dump belongs to is allowed again. The services
 * stay stopped: the code must go back to that release before they start.
 */
public final class DatabaseRestore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostShell shell;
    private final RestoreRequest request;
    private final Clock clock;
    private final BackupCommands commands;

    public DatabaseRestore(HostShell shell, RestoreRequest request, Clock clock) {
        this.shell = shell;
        this.request = request;
        this.clock = clock;
        // The backup directory plays no part in a restore: the dump's path is given.
        this.commands = new BackupCommands(
                shell.access().appDir(),
                HostLock.stateDir(shell.access().appDir()),
                BackupCommands.defaultDatabaseOf(shell.access().appUser()));
    }

    /** Every outcome, refusals and failures included, comes back as a result. */
    public RestoreResult run(ApprovalGate gate) {
        long started = System.nanoTime();
        List<String> stopped = new ArrayList<>();
        String[] sha256 = new String[1];
        String[] confirmedBy = new String[1];
        String holder = HostLock.holderLine(
                request.actor(), request.build(), "restore from " + request.dump(), clock.instant());
        try (HostLock lock =
                HostLock.acquire(shell, HostLock.stateDir(shell.access().appDir()), holder, false)) {
            restore(gate, stopped, sha256, confirmedBy);
            return new RestoreResult(
                    shell.host(),
                    request.dump(),
                    sha256[0],
                    confirmedBy[0],
                    stopped,
                    millisSince(started),
                    shell.executes() ? RestoreResult.RESTORED : "planned",
                    null,
                    0);
        } catch (FlowException e) {
            shell.console().warn("[" + shell.host() + "] " + e.getMessage());
            return new RestoreResult(
                    shell.host(),
                    request.dump(),
                    sha256[0],
                    confirmedBy[0],
                    stopped,
                    millisSince(started),
                    e.exitCode() == ExitCode.REFUSED ? "refused" : "failed",
                    e.getMessage(),
                    e.exitCode().code());
        }
    }

    private void restore(ApprovalGate gate, List<String> stopped, String[] sha256, String[] confirmedBy) {
        String dump = request.dump();
        Command check = commands.checkRestorable(dump);
        ExecResult checked = shell.app(check);
        if (shell.executes()) {
            if (!checked.succeeded()) {
                throw FlowException.refused(shell.failure("checking the backup " + dump, check, checked)
                                .getMessage()
                        + "\nNothing was changed.");
            }
            String[] words = checkLine(checked.stdout());
            sha256[0] = words[0];
            if (request.expectSha256() != null && !request.expectSha256().equals(words[0])) {
                throw FlowException.refused(dump + " on " + shell.host() + " has SHA-256 " + words[0] + ", not the "
                        + "expected " + request.expectSha256() + " (" + Option.EXPECT_SHA256.named()
                        + "): it is not the backup you meant, or it changed. Nothing was changed.");
            }
            if (!"t".equals(words[1]) || !"t".equals(words[2])) {
                throw FlowException.refused("the database role in .env.production on " + shell.host()
                        + (!"t".equals(words[2]) ? " does not own the database" : " may not create databases")
                        + ", so flow cannot drop the database and create it again for the restore. Nothing was"
                        + " changed. Restore as the PostgreSQL superuser instead (docs/checkout.md, \"Restoring a"
                        + " backup\"), or give the role CREATEDB as Mastodon's guide does.");
            }
            shell.console().info("[" + shell.host() + "] " + dump + ": pg_restore --list reads it, sha256 " + words[0]);
        }
        List<String> units = units();
        Answer answer = gate.ask(new ApprovalRequest(
                shell.host(),
                "restore the database from " + dump + ", after stopping " + String.join(", ", units),
                "everything written to the database since the backup is lost; the services stay stopped until the"
                        + " code is back on the release the backup belongs to",
                List.of()));
        if (!(answer instanceof Approved approved)) {
            throw FlowException.refused("the restore of " + shell.host() + " from " + dump + " was not confirmed;"
                    + " nothing was changed. Confirm it at the prompt (type the host name) or with "
                    + Option.CONFIRM_RESTORE.withValue(shell.host()) + ".");
        }
        confirmedBy[0] = approved.by();
        for (String unit : units) {
            Command stop = SystemctlCommands.stop(unit);
            ExecResult result = shell.run(As.ROOT, stop, shell.commandTimeout());
            if (!result.succeeded()) {
                throw shell.failure("stopping " + unit + " before the restore (nothing was restored)", stop, result);
            }
            stopped.add(unit);
        }
        DetachedTask task = new DetachedTask(shell, clock);
        Command restore = commands.restore(dump);
        ExecResult restored =
                task.run(task.newId("restore"), restore, null, request.restoreTimeout(), OutputSink.discard());
        if (!restored.succeeded()) {
            throw FlowException.remoteFailed(shell.failure(
                                    "the restore from " + dump,
                                    restore,
                                    restored,
                                    Option.TASK_TIMEOUT,
                                    request.restoreTimeout())
                            .getMessage()
                    + "\nThe services " + String.join(", ", stopped) + " are stopped. Look at the database before"
                    + " starting them (docs/checkout.md, \"Restoring a backup\").");
        }
        Command record = new HistoryCommands(HostLock.stateDir(shell.access().appDir())).append(historyLine(sha256[0]));
        ExecResult recorded = shell.app(record);
        if (!recorded.succeeded()) {
            throw shell.failure("recording the restore in the history", record, recorded);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("dump", dump);
        fields.put("sha256", sha256[0]);
        fields.put("confirmedBy", confirmedBy[0]);
        fields.put("stopped", List.copyOf(stopped));
        shell.audit().record(AuditEvents.BACKUP_RESTORED, fields);
        shell.console()
                .info("[" + shell.host() + "] database restored from " + dump + "; " + String.join(", ", stopped)
                        + " stay stopped. Put the code back on the release of the backup (checkout with "
                        + Option.ROLLBACK.set() + ", allowed again), then start the services.");
    }

    private List<String> units() {
        List<String> units = new ArrayList<>();
        units.addAll(request.profile().services().web());
        units.addAll(request.profile().services().sidekiq());
        units.addAll(request.profile().services().streaming());
        return units;
    }

    private String[] checkLine(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(BackupCommands.CHECK_LINE)) {
                String[] words = line.substring(BackupCommands.CHECK_LINE.length())
                        .strip()
                        .split("\\s+");
                if (words.length == 3 && words[0].matches("[0-9a-f]{64}")) {
                    return words;
                }
            }
        }
        throw FlowException.remoteFailed("checking the backup " + request.dump() + " on " + shell.host()
                + " gave no answer; nothing was changed");
    }

    private String historyLine(String sha256) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("operation", "restore");
        entry.put("backup", request.dump());
        entry.put("sha256", sha256);
        entry.put("actor", request.actor());
        entry.put("build", request.build());
        try {
            return JSON.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
