package io.github.flowupgrade.audit;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.FlowVersion;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.remote.ExecResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event types of the audit trail (their wire names) and builders for the fields of the events whose shape every
 * writer must agree on. Field values are strings, numbers, booleans, lists and maps; {@link Redactor} cleans them
 * before they are written.
 */
public final class AuditEvents {
    /** First record of a run: who, from where, which tool version, which target, which hosts. */
    public static final String RUN_STARTED = "run.started";
    /** Last record of a run, with its status ({@code succeeded}, {@code failed}, {@code abandoned}...). */
    public static final String RUN_FINISHED = "run.finished";
    /** One remote command: host, user, redacted command, start, duration, exit code, output size and SHA-256. */
    public static final String COMMAND = "command";

    public static final String LOCK_ACQUIRED = "lock.acquired";
    public static final String LOCK_RELEASED = "lock.released";
    public static final String LOCK_FORCED = "lock.forced";
    public static final String RELEASE_RESOLVED = "release.resolved";
    public static final String GITHUB_REQUEST = "github.request";
    public static final String CHECKOUT_STARTED = "checkout.started";
    public static final String CHECKOUT_COMPLETED = "checkout.completed";
    public static final String CHECKOUT_FAILED = "checkout.failed";
    public static final String SERVICE_ACTION = "service.action";
    public static final String SERVICE_HEALTH = "service.health";
    public static final String APPROVAL_REQUESTED = "approval.requested";
    /**
     * A GitHub environment's approval read from a workflow run's review log: the environment, the run, the outcome
     * ({@code approved}, {@code rejected}, {@code not approved}), the reviewers and their comments.
     */
    public static final String APPROVAL_CHECKED = "approval.checked";

    public static final String APPROVAL_GRANTED = "approval.granted";
    public static final String APPROVAL_DENIED = "approval.denied";
    public static final String APPROVAL_TIMEDOUT = "approval.timedout";
    public static final String STREAMING_DECISION = "streaming.decision";
    public static final String TASK_STARTED = "task.started";
    public static final String TASK_COMPLETED = "task.completed";
    public static final String MANUAL_CONFIRMED = "manual.confirmed";
    /** A long task started detached from the SSH session: its id, command and log file on the host. */
    public static final String TASK_DETACHED = "task.detached";
    /** The connection was lost while a detached task was followed; the task goes on on the host. */
    public static final String TASK_CONNECTION_LOST = "task.connection-lost";
    /** The run reconnected and follows the detached task again. */
    public static final String TASK_REATTACHED = "task.reattached";
    /** The database backup before the first migration: started, completed (path, size, SHA-256), failed, skipped. */
    public static final String BACKUP_STARTED = "backup.started";

    public static final String BACKUP_COMPLETED = "backup.completed";
    public static final String BACKUP_FAILED = "backup.failed";
    /** The backup was turned off for a run whose plan migrates: who turned it off. */
    public static final String BACKUP_SKIPPED = "backup.skipped";
    /** A database restored from a backup ({@code flow restore}): the dump, its SHA-256, who confirmed it. */
    public static final String BACKUP_RESTORED = "backup.restored";

    /** The pre-flight table of a host: each check's status and detail, the toolchain tasks it planned. */
    public static final String PREFLIGHT_CHECKED = "preflight.checked";
    /** The migrations a hop will run, read before it migrates (its files against schema_migrations). */
    public static final String MIGRATIONS_PENDING = "migrations.pending";
    /** A hop that cannot be a rolling update stopped the site: which units, why, who allowed it. */
    public static final String DOWNTIME_STARTED = "downtime.started";
    /** The site is back (or was left stopped after a failure): how long it was down. */
    public static final String DOWNTIME_ENDED = "downtime.ended";
    /**
     * One step of an instance's upgrade ended: which host did it (null for a step of the whole instance), the hop, its
     * status and detail, so the trail reads as the instance's report does.
     */
    public static final String INSTANCE_STEP = "instance.step";

    /** Every type above, in the order a run typically emits them. */
    public static final List<String> ALL = List.of(
            RUN_STARTED,
            GITHUB_REQUEST,
            RELEASE_RESOLVED,
            LOCK_ACQUIRED,
            LOCK_FORCED,
            COMMAND,
            PREFLIGHT_CHECKED,
            CHECKOUT_STARTED,
            CHECKOUT_COMPLETED,
            CHECKOUT_FAILED,
            BACKUP_STARTED,
            BACKUP_COMPLETED,
            BACKUP_FAILED,
            BACKUP_SKIPPED,
            BACKUP_RESTORED,
            TASK_STARTED,
            TASK_DETACHED,
            TASK_CONNECTION_LOST,
            TASK_REATTACHED,
            TASK_COMPLETED,
            MANUAL_CONFIRMED,
            MIGRATIONS_PENDING,
            DOWNTIME_STARTED,
            DOWNTIME_ENDED,
            SERVICE_ACTION,
            SERVICE_HEALTH,
            STREAMING_DECISION,
            APPROVAL_CHECKED,
            APPROVAL_REQUESTED,
            APPROVAL_GRANTED,
            APPROVAL_DENIED,
            APPROVAL_TIMEDOUT,
            INSTANCE_STEP,
            LOCK_RELEASED,
            RUN_FINISHED);

    /** Run status written by a process that found the previous run of a file unfinished (it had died). */
    public static final String STATUS_ABANDONED = "abandoned";

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private AuditEvents() {}

    /** A new run id: the UTC start time and six random hex digits, e.g. {@code 20261123T120000Z-3fa9c1}. */
    public static String newRunId(Clock clock) {
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        return RUN_ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random);
    }

    /**
     * The fields of {@link #RUN_STARTED}.
     *
     * @param actor who started the run: the Jenkins user, or {@code user@hostname} for the CLI
     * @param buildUrl the CI build that ran it, or null from a terminal
     * @param operation what was asked, such as {@code upgrade} or {@code checkout}
     * @param target the release (tag) the run goes to, or null when it has none (a restart)
     * @param hosts the hosts it acts on, in order
     */
    public static Map<String, Object> runStarted(
            String actor, String buildUrl, String operation, String target, List<String> hosts) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("actor", actor);
        fields.put("buildUrl", buildUrl);
        fields.put("operation", operation);
        fields.put("target", target);
        fields.put("hosts", List.copyOf(hosts));
        fields.put("toolVersion", FlowVersion.get());
        return fields;
    }

    /**
     * The fields of {@link #RUN_FINISHED}.
     *
     * @param status {@code succeeded}, {@code failed}, {@code refused}, {@code abandoned}...
     * @param exitCode the process exit code the run ends with
     * @param error the user-facing error message when it failed, else null
     */
    public static Map<String, Object> runFinished(String status, int exitCode, String error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("exitCode", exitCode);
        fields.put("error", error);
        return fields;
    }

    /**
     * The fields of {@link #RUN_FINISHED} for a run that ended with {@code error} (null when it succeeded): status
     * {@code succeeded}, {@code refused} (a safety check said no) or {@code failed}, with the exit code the CLI returns.
     */
    public static Map<String, Object> runFinished(Throwable error) {
        if (error == null) {
            return runFinished("succeeded", ExitCode.DONE.code(), null);
        }
        if (error instanceof FlowException flow) {
            String status = flow.exitCode() == ExitCode.REFUSED ? "refused" : "failed";
            return runFinished(status, flow.exitCode().code(), flow.getMessage());
        }
        return runFinished("failed", ExitCode.FAILED.code(), "internal error: " + error);
    }

    /** The fields of {@link #COMMAND}: the command in its redacted form only. */
    public static Map<String, Object> command(
            String host, String user, Command command, Instant started, ExecResult result) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", host);
        fields.put("user", user);
        fields.put("command", command.redacted());
        fields.put("started", AuditEvent.formatTime(started));
        fields.put("durationMs", result.durationMs());
        fields.put("exitCode", result.exitCode());
        fields.put("timedOut", result.timedOut());
        fields.put("outputBytes", result.outputBytes());
        fields.put("outputSha256", result.outputSha256());
        return fields;
    }
}
