package io.github.flowupgrade.audit;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The audit trail as a file of JSON Lines: each {@link #record} redacts its fields, chains the record to the previous
 * line and appends it in one write, so a killed process leaves every event it reported, then rewrites the chain head
 * kept beside the file ({@link AuditHead}), so a cut at the end shows. Thread-safe (hosts run in parallel): records
 * are numbered and chained in the order they are written. One process at a time: the file is locked while open. Both
 * files are created readable by their owner only. Opening a file that already holds runs verifies it, against its head
 * file too, and continues its chain; a damaged or cut file is refused.
 */
public final class JsonLinesAuditLog implements AuditLog, Closeable {
    /** How far each record is pushed before {@link #record} returns. */
    public enum Durability {
        /** Written to the operating system: survives the process being killed, not a power cut. */
        FLUSH,
        /** Also forced to the disk ({@code fsync}) after every record: survives a power cut too. */
        FSYNC
    }

    /** The {@code run.started} field saying the trail keeps a head file, so that a missing one is noticed. */
    static final String HEAD_FILE_FIELD = "headFile";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final String runId;
    private final Redactor redactor;
    private final Clock clock;
    private final Durability durability;
    private final FileChannel channel;
    private final FileLock lock;
    private FileChannel headChannel;

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
     * the build machine (measured with the head file, which is forced too: 2,400-2,800 records/s with fsync,
     * 27,000-35,000 with a flush only; the trail alone did 5,700-7,300 and 40,000-52,000 in the same session).
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
            channel = openOwnerOnly(file, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw FlowException.badInput("cannot open audit log " + file + ": " + e + " (choose a writable path with "
                    + Option.AUDIT_LOG.named() + ")");
        }
        try {
            FileLock lock = tryLock(channel, file);
            JsonLinesAuditLog log = new JsonLinesAuditLog(file, runId, redactor, clock, durability, channel, lock);
            try {
                log.continueChain();
                log.headChannel = openOwnerOnly(AuditHead.fileFor(file));
                if (log.seq > 0) {
                    log.writeHead(); // after an abandoned record, or for a trail that had no head file yet
                }
            } catch (IOException e) {
                throw FlowException.badInput("cannot open " + AuditHead.fileFor(file) + ", the audit log's head file: "
                        + e + " (choose a writable path with " + Option.AUDIT_LOG.named() + ")");
            } catch (RuntimeException e) {
                if (log.headChannel != null) {
                    closeQuietly(log.headChannel);
                }
                throw e;
            }
            return log;
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Opens {@code path} for writing, creating it readable and writable by its owner only where permissions exist. */
    private static FileChannel openOwnerOnly(Path path, OpenOption... extra) throws IOException {
        Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        options.addAll(List.of(extra));
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return FileChannel.open(path, options);
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
                    + " wait for it to finish or pass a different " + Option.AUDIT_LOG.named() + " file");
        }
        return lock;
    }

    /**
     * Picks up seq and prev from the file's last line, after checking the whole chain and its end against the head
     * file: a trail cut at its end is refused, not continued, so a later run never hides the cut.
     */
    private void continueChain() {
        if (sizeOf() == 0) {
            Optional<AuditHead> head;
            try {
                head = AuditHead.read(file);
            } catch (IOException e) {
                head = Optional.empty(); // a damaged head of an empty trail: rewritten by the first record
            }
            if (head.isPresent()) {
                throw FlowException.refused("audit log " + file + " is empty, but its head file says "
                        + head.get().records() + " records were written: the trail was cut, so this run will not"
                        + " write to it. Keep both files as evidence and pass a new " + Option.AUDIT_LOG.named()
                        + " file.");
            }
            seq = 0;
            prev = AuditEvent.GENESIS;
            return;
        }
        AuditVerification verification = AuditVerifier.verify(file);
        if (verification instanceof AuditVerification.Broken broken) {
            throw FlowException.refused(
                    "audit log " + file + " is damaged, so this run will not append to it: " + broken.summaryLine()
                            + ". Keep the file as evidence and pass a new " + Option.AUDIT_LOG.named() + " file.");
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
                            + " when it opened this file"
                            + (summary.checked() == null ? "" : ", whose head file shows nothing was cut"));
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
        Map<String, ?> recorded = fields == null ? Map.of() : fields;
        if (type.equals(AuditEvents.RUN_STARTED)) {
            Map<String, Object> withHead = new LinkedHashMap<>(recorded);
            withHead.put(HEAD_FILE_FIELD, true);
            recorded = withHead;
        }
        append(runId, type, recorded);
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
            seq = event.seq();
            prev = AuditEvent.hash(lineBytes);
            // After the record, never before: a head file behind its trail (a crash between the two) is accepted, one
            // ahead of it is a cut.
            writeHead();
        } catch (IOException e) {
            failed = true;
            throw FlowException.refused("cannot write audit log " + file + ": " + e
                    + "; the run stops because it can no longer be audited");
        }
    }

    private void writeHead() throws IOException {
        if (headChannel == null) {
            return; // the abandoned record written while opening: open() writes the head once the file is open
        }
        ByteBuffer head = ByteBuffer.wrap(new AuditHead(seq, prev).bytes());
        long at = 0;
        while (head.hasRemaining()) {
            at += headChannel.write(head, at);
        }
        headChannel.truncate(at);
        if (durability == Durability.FSYNC) {
            headChannel.force(false);
        }
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
            if (headChannel != null) {
                headChannel.force(false);
            }
        } catch (IOException e) {
            throw FlowException.refused("cannot write audit log " + file + " to the disk: " + e);
        } finally {
            if (headChannel != null) {
                closeQuietly(headChannel);
            }
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
