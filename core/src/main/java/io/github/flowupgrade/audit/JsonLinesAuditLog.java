package io.github.flowupgrade.audit;

import io.github.flowupgrade.FlowException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The audit trail as a file of JSON Lines: each {@link #record} redacts its fields, chains the record to the previous
 * line and appends it in one write, so a killed process leaves every event it reported. Thread-safe (hosts run in
 * parallel): records are numbered and chained in the order they are written. One process at a time: the file is locked
 * while open. Opening a file that already holds runs verifies it and continues its chain; a damaged file is refused.
 */
public final class JsonLinesAuditLog implements AuditLog, Closeable {
    /** How far each record is pushed before {@link #record} returns. */
    public enum Durability {
        /** Written to the operating system: survives the process being killed, not a power cut. */
        FLUSH,
        /** Also forced to the disk ({@code fsync}) after every record: survives a power cut too. */
        FSYNC
    }

    private final Path file;
    private final String runId;
    private final Redactor redactor;
    private final Clock clock;
    private final Durability durability;
    private final FileChannel channel;
    private final FileLock lock;

    private long seq;
    private String prev;
    private boolean started;
    private boolean finished;
    private boolean failed;

    private JsonLinesAuditLog(
            Path file,
            String runId,
            Redactor redactor,
            Clock clock,
            Durability durability,
            FileChannel channel,
            FileLock lock) {
        this.file = file;
        this.runId = runId;
        this.redactor = redactor;
        this.clock = clock;
        this.durability = durability;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens {@code file} for run {@code runId} with the system clock, forcing every record to the disk: a run records a
     * few hundred events, each after a remote command of milliseconds to minutes, and an fsync costs about 0.2 ms on
     * the build machine (measured: 4,600-6,200 records/s with fsync, 24,000-45,000 with a flush only).
     */
    public static JsonLinesAuditLog open(Path file, String runId, Redactor redactor) {
        return open(file, runId, redactor, Clock.systemUTC(), Durability.FSYNC);
    }

    /**
     * Opens (or creates) {@code file} for a new run. The first record must then be {@code run.started}.
     *
     * @throws FlowException REFUSED when the file is damaged or another process has it open; BAD_INPUT when it
     *     cannot be created or already holds {@code runId}
     */
    public static JsonLinesAuditLog open(
            Path file, String runId, Redactor redactor, Clock clock, Durability durability) {
        Objects.requireNonNull(runId, "runId");
        FileChannel channel;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw FlowException.badInput(
                    "cannot open audit log " + file + ": " + e + " (choose a writable path with --audit-log)");
        }
        try {
            FileLock lock = tryLock(channel, file);
            JsonLinesAuditLog log = new JsonLinesAuditLog(file, runId, redactor, clock, durability, channel, lock);
            log.continueChain();
            return log;
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel, Path file) {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            throw FlowException.badInput("cannot lock audit log " + file + ": " + e);
        }
        if (lock == null) {
            throw FlowException.refused("audit log " + file + " is open in another run;"
                    + " wait for it to finish or pass a different --audit-log file");
        }
        return lock;
    }

    /** Picks up seq and prev from the file's last line, after checking the whole chain. */
    private void continueChain() {
        if (sizeOf() == 0) {
            seq = 0;
            prev = AuditEvent.GENESIS;
            return;
        }
        AuditVerification verification = AuditVerifier.verify(file);
        if (verification instanceof AuditVerification.Broken broken) {
            throw FlowException.refused("audit log " + file + " is damaged, so this run will not append to it: "
                    + broken.summaryLine() + ". Keep the file as evidence and pass a new --audit-log file.");
        }
        AuditVerification.Summary summary = verification instanceof AuditVerification.Intact intact
                ? intact.summary()
                : ((AuditVerification.Unfinished) verification).summary();
        if (summary.runs().contains(runId)) {
            throw FlowException.badInput("audit log " + file + " already holds run " + runId);
        }
        seq = summary.records();
        prev = summary.head();
        if (!summary.lastRunFinished()) {
            // The previous process died before its last record: close its run so the chain stays well formed.
            String previousRun = summary.runs().get(summary.runs().size() - 1);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", AuditEvents.STATUS_ABANDONED);
            fields.put(
                    "reason",
                    "the run's trail ended without run.finished (the process stopped);" + " closed by run " + runId
                            + " when it opened this file");
            append(previousRun, AuditEvents.RUN_FINISHED, fields);
        }
    }

    @Override
    public synchronized void record(String type, Map<String, ?> fields) {
        Objects.requireNonNull(type, "type");
        if (failed) {
            throw FlowException.refused("audit log " + file + " could not be written earlier in this run;"
                    + " the run stops because it can no longer be audited");
        }
        if (finished) {
            throw new IllegalStateException("run " + runId + " has finished; no record may follow run.finished");
        }
        if (!started && !type.equals(AuditEvents.RUN_STARTED)) {
            throw new IllegalStateException("the first record of run " + runId + " must be run.started, not " + type);
        }
        if (started && type.equals(AuditEvents.RUN_STARTED)) {
            throw new IllegalStateException("run " + runId + " has already started");
        }
        append(runId, type, fields == null ? Map.of() : fields);
        started = true;
        finished = type.equals(AuditEvents.RUN_FINISHED);
    }

    private void append(String run, String type, Map<String, ?> fields) {
        AuditEvent event = new AuditEvent(
                seq + 1, clock.instant(), run, redactor.redact(type), redactor.redactFields(fields), prev);
        String line = event.toLine();
        byte[] lineBytes = line.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer =
                ByteBuffer.allocate(lineBytes.length + 1).put(lineBytes).put((byte) '\n');
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (durability == Durability.FSYNC) {
                channel.force(false);
            }
        } catch (IOException e) {
            failed = true;
            throw FlowException.refused("cannot write audit log " + file + ": " + e
                    + "; the run stops because it can no longer be audited");
        }
        seq = event.seq();
        prev = AuditEvent.hash(lineBytes);
    }

    public Path file() {
        return file;
    }

    public String runId() {
        return runId;
    }

    /** Hex SHA-256 of the last line written: print it at the end of a run so a later edit of the last line shows. */
    public synchronized String head() {
        return prev;
    }

    /** Number of records in the file (this run's and earlier runs'). */
    public synchronized long records() {
        return seq;
    }

    public synchronized boolean finished() {
        return finished;
    }

    /** Forces what was written to the disk and releases the file. Idempotent. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw FlowException.refused("cannot write audit log " + file + " to the disk: " + e);
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // Closing the channel releases it anyway.
            }
            closeQuietly(channel);
        }
    }

    private long sizeOf() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw FlowException.badInput("cannot read audit log " + file + ": " + e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more can be done with a channel that fails to close.
        }
    }
}
