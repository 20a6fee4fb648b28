package io.github.flowupgrade.host;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.LockCommands;
import io.github.flowupgrade.remote.ExecResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The per-host lock that keeps two runs from changing one host at once: a directory made with {@code mkdir} (atomic)
 * in the state directory, holding a line that says who took it, when, from which build and for what. Taken as the
 * application user; released by {@link #close()} in a {@code finally}. A lock left by a run that died is reported
 * with its holder and removed only on request (the force-unlock option).
 */
public final class HostLock implements AutoCloseable {
    private final HostShell shell;
    private final LockCommands commands;
    private final AuditLog audit;
    private boolean held;

    private HostLock(HostShell shell, LockCommands commands) {
        this.shell = shell;
        this.commands = commands;
        this.audit = shell.audit();
    }

    /**
     * Takes the lock.
     *
     * @param holder the line written into the lock (who, when, build, target)
     * @param force remove a lock that is already there first (and say so)
     * @throws FlowException {@code REFUSED} with the holder's details when another run holds it
     */
    public static HostLock acquire(HostShell shell, String stateDir, String holder, boolean force) {
        HostLock lock = new HostLock(shell, new LockCommands(stateDir));
        if (force) {
            lock.removeStale();
        }
        lock.take(holder);
        return lock;
    }

    /**
     * The state directory that holds the host's one lock, beside the application's working tree ({@code
     * /home/mastodon/live} gives {@code /home/mastodon/.flow-upgrade}, lock {@code .flow-upgrade/lock}): every run
     * that checks out, upgrades or runs tasks on a host takes it, so none of them can change the host under another.
     */
    public static String stateDir(String appDir) {
        String dir = appDir.endsWith("/") ? appDir.substring(0, appDir.length() - 1) : appDir;
        return dir.substring(0, dir.lastIndexOf('/')) + "/.flow-upgrade";
    }

    /** The holder line for a run: who, since when, which build, what for. */
    public static String holderLine(String actor, String build, String purpose, Instant now) {
        return "held by " + actor + " since " + now.truncatedTo(ChronoUnit.SECONDS) + " for " + purpose
                + (build == null ? "" : " (build " + build + ")");
    }

    /**
     * A lock already taken by {@link LockCommands#acquire} as one command of a batch; records it as acquired.
     */
    public static HostLock taken(HostShell shell, LockCommands commands, String holder) {
        HostLock lock = new HostLock(shell, commands);
        lock.held = true;
        lock.audit.record(AuditEvents.LOCK_ACQUIRED, lock.fields("holder", holder));
        return lock;
    }

    /** Removes a lock a dead run left behind (the force-unlock option), saying whose it was. */
    public static void removeStale(HostShell shell, LockCommands commands) {
        new HostLock(shell, commands).removeStale();
    }

    private void take(String holder) {
        ExecResult result = shell.app(commands.acquire(holder));
        if (result.succeeded()) {
            held = true;
            audit.record(AuditEvents.LOCK_ACQUIRED, fields("holder", holder));
            return;
        }
        throw refusal(shell, commands, holder, result);
    }

    /**
     * The error for an {@code acquire} that failed: who holds the lock when another run does (read with one more
     * command), else why the command failed.
     */
    public static FlowException refusal(HostShell shell, LockCommands commands, String holder, ExecResult acquire) {
        ExecResult status = shell.app(commands.status());
        if (status.succeeded()) {
            String current = status.stdout().strip();
            return FlowException.refused(shell.host() + " is locked by another run: "
                    + (current.isEmpty() ? "(holder not written yet)" : current)
                    + ". If no run is in progress there (it was stopped or lost its connection), check the host and"
                    + " remove the lock with " + Option.FORCE_UNLOCK.set() + " (lock: " + commands.lockDir() + ")");
        }
        return shell.failure("taking the lock " + commands.lockDir(), commands.acquire(holder), acquire);
    }

    private void removeStale() {
        ExecResult status = shell.app(commands.status());
        if (!status.succeeded() || !shell.executes()) {
            return;
        }
        String stale = status.stdout().strip();
        ExecResult removed = shell.app(commands.release());
        if (!removed.succeeded()) {
            throw shell.failure("removing the stale lock " + commands.lockDir(), commands.release(), removed);
        }
        shell.console()
                .warn("[" + shell.host() + "] removed a stale lock (" + Option.FORCE_UNLOCK.set() + "): " + stale);
        audit.record(AuditEvents.LOCK_FORCED, fields("previousHolder", stale));
    }

    /** The lock directory on the host, for messages. */
    public String lockDir() {
        return commands.lockDir();
    }

    /** The command that releases this lock, to send with other commands. */
    public Command releaseCommand() {
        return commands.release();
    }

    /** Whether the lock is still held by this run. */
    public boolean held() {
        return held;
    }

    /**
     * Accounts for a {@link LockCommands#release} that ran as one command of a batch; null (it did not run) leaves
     * the lock held.
     */
    public void releasedBy(ExecResult result) {
        if (!held || result == null) {
            return;
        }
        held = false;
        if (!result.succeeded()) {
            throw shell.failure("releasing the lock " + commands.lockDir(), commands.release(), result);
        }
        audit.record(AuditEvents.LOCK_RELEASED, fields("lock", commands.lockDir()));
    }

    /** Releases the lock; a failure is reported (with how to clear it) but does not hide the run's own outcome. */
    @Override
    public void close() {
        if (!held) {
            return;
        }
        held = false;
        ExecResult result = shell.app(commands.release());
        if (!result.succeeded()) {
            throw shell.failure("releasing the lock " + commands.lockDir(), commands.release(), result);
        }
        audit.record(AuditEvents.LOCK_RELEASED, fields("lock", commands.lockDir()));
    }

    /**
     * Releases the lock after {@code failure} and returns that failure; if the release fails too, the failure's
     * message also says that the lock is still held, why, and how to clear it.
     */
    public FlowException releaseAfter(FlowException failure) {
        try {
            close();
            return failure;
        } catch (FlowException e) {
            return new FlowException(
                    failure.exitCode(),
                    failure.getMessage() + "\nThe lock " + lockDir() + " on " + shell.host()
                            + " is still held (releasing it failed: " + e.getMessage() + "). Once you have checked"
                            + " the host, remove it with " + Option.FORCE_UNLOCK.set() + ".",
                    failure);
        }
    }

    private Map<String, Object> fields(String key, String value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("lock", commands.lockDir());
        fields.put(key, value);
        return fields;
    }
}
