package io.github.flowupgrade.cli;

import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.BuildUrl;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The audit options every command that acts on hosts takes ({@code @Mixin AuditOptions audit;}), and the opening and
 * closing of its run's trail:
 *
 * <pre>{@code
 * JsonLinesAuditLog log = audit.start("upgrade", tag, hosts, redactor);
 * Throwable error = null;
 * try { ... engine work, given log ... } catch (RuntimeException e) { error = e; throw e; }
 * finally { audit.finish(log, error, spec.commandLine().getErr()); }
 * }</pre>
 */
public final class AuditOptions {
    @Option(
            names = "--audit-log",
            paramLabel = "FILE",
            description = "Where the run's hash-chained audit trail goes (JSON Lines; appended to when it exists)."
                    + " Default: ./flow-audit-<run id>.jsonl in the working directory.")
    Path auditLog;

    @Option(
            names = "--actor",
            paramLabel = "NAME",
            description = "Who runs this, for the audit trail. Default: $USER@hostname.")
    String actor;

    @Option(
            names = "--build-url",
            paramLabel = "URL",
            description = "The CI build running this, for the audit trail. Default: $BUILD_URL when set.")
    String buildUrl;

    /** The environment the defaults come from; tests replace it. */
    Map<String, String> env = System.getenv();

    Clock clock = Clock.systemUTC();

    /** The actor to record: {@code --actor}, else {@code $USER@hostname}. */
    public String actor() {
        if (actor != null && !actor.isBlank()) {
            return actor;
        }
        return localUser() + "@" + hostname();
    }

    /**
     * The build to record: {@code --build-url}, else {@code $BUILD_URL}, else null (a terminal). Credentials in it are
     * dropped here, so they reach neither the trail nor the host (its lock, its checkout history, its {@code ps}).
     */
    public String buildUrl() {
        if (buildUrl != null && !buildUrl.isBlank()) {
            return BuildUrl.withoutCredentials(buildUrl);
        }
        return BuildUrl.withoutCredentials(env.get("BUILD_URL"));
    }

    /** Whether the user named a trail file ({@code --audit-log}); read-only commands write one only then. */
    public boolean requested() {
        return auditLog != null;
    }

    /** The trail's file: {@code --audit-log}, else {@code flow-audit-<runId>.jsonl} in the working directory. */
    public Path file(String runId) {
        return auditLog != null ? auditLog : Path.of("flow-audit-" + runId + ".jsonl");
    }

    /**
     * Opens the trail for a new run and records {@code run.started}.
     *
     * @param operation what was asked ({@code upgrade}, {@code checkout}, {@code restart}...)
     * @param target the release tag the run goes to, or null
     * @param hosts the hosts it acts on
     * @param redactor the run's redactor, already knowing the run's secrets
     */
    public JsonLinesAuditLog start(String operation, String target, List<String> hosts, Redactor redactor) {
        String runId = AuditEvents.newRunId(clock);
        JsonLinesAuditLog log =
                JsonLinesAuditLog.open(file(runId), runId, redactor, clock, JsonLinesAuditLog.Durability.FSYNC);
        try {
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted(actor(), buildUrl(), operation, target, hosts));
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return log;
    }

    /**
     * Records {@code run.finished} for a run that ended with {@code error} (null on success), closes the trail and
     * tells the user where it is and its head, which {@code flow audit verify --head} checks later.
     */
    public static void finish(JsonLinesAuditLog log, Throwable error, PrintWriter err) {
        try {
            if (!log.finished()) {
                log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished(error));
            }
        } finally {
            log.close();
        }
        err.println("audit trail: " + log.file() + " (" + log.records() + " records, head " + log.head() + ")");
    }

    private String localUser() {
        String user = env.get("USER");
        if (user == null || user.isBlank()) {
            user = System.getProperty("user.name", "unknown");
        }
        return user;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
