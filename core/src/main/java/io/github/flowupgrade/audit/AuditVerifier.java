package io.github.flowupgrade.audit;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a trail record by record: each line is a well-formed record, {@code seq} counts up by one from 1, {@code
 * prev} is the SHA-256 of the line before (so an edited, removed, inserted or moved line breaks the chain at the line
 * after it), every run opens with {@code run.started} and keeps its run id, and the last run ends with {@code
 * run.finished}. Then the end: the trail must hold every record its head file ({@link AuditHead}, beside it) says was
 * written, the last of them unchanged, so lines cut off the end show even at a run boundary; a trail whose runs say
 * they keep a head file is broken without it. Reports the first record that does not hold.
 *
 * <p>Both files can be rewritten together; pass the head printed at the end of a run (kept in the build log) as {@code
 * expectedHead}: the record with that SHA-256 must be in the chain, so nothing up to it was cut, edited or rewritten,
 * whatever ran after it.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    public static AuditVerification verify(Path file) {
        return verify(file, null);
    }

    /**
     * @param expectedHead the SHA-256 of a record the chain must hold (the head printed at the end of a run), or null
     *     to skip that check
     * @throws FlowException (BAD_INPUT) when the file cannot be read
     */
    public static AuditVerification verify(Path file, String expectedHead) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw FlowException.badInput("audit log " + file + " does not exist");
        } catch (IOException e) {
            throw FlowException.badInput("cannot read audit log " + file + ": " + e.getMessage());
        }
        return verify(file, bytes, expectedHead);
    }

    /** {@code bytes} as the content of {@code file}, checked against the head file beside {@code file}. */
    static AuditVerification verify(Path file, byte[] bytes, String expectedHead) {
        String name = AuditHead.fileFor(file).getFileName().toString();
        try {
            return verify(bytes, new Beside(name, AuditHead.read(file), null), expectedHead);
        } catch (IOException e) {
            return verify(bytes, new Beside(name, Optional.empty(), e.getMessage()), expectedHead);
        }
    }

    /** Trail content from elsewhere, with no head file to compare with. */
    public static AuditVerification verify(byte[] bytes, String expectedHead) {
        return verify(bytes, new Beside(null, Optional.empty(), null), expectedHead);
    }

    /** What lies beside the trail: the head file's name, its head if it exists, or what is wrong with it. */
    private record Beside(String name, Optional<AuditHead> head, String damage) {}

    private static AuditVerification verify(byte[] bytes, Beside beside, String expectedHead) {
        if (bytes.length == 0) {
            return new AuditVerification.Broken(
                    1,
                    beside.head().isPresent()
                            ? "the file is empty, but its head file " + beside.name() + " says "
                                    + beside.head().get().records() + " records were written: the trail was cut"
                            : "the file is empty: a trail starts with run.started",
                    null);
        }
        Chain chain = new Chain(beside.head().map(AuditHead::records).orElse(-1L), expectedHead);
        int start = 0;
        long lineNumber = 0;
        while (start < bytes.length) {
            lineNumber++;
            int end = indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                return broken(
                        lineNumber,
                        "the line has no newline at its end: the file was cut in the middle of a record"
                                + " (or a record is being written)",
                        chain);
            }
            byte[] line = Arrays.copyOfRange(bytes, start, end);
            String problem = chain.accept(lineNumber, line);
            if (problem != null) {
                return broken(lineNumber, problem, chain);
            }
            start = end + 1;
        }
        List<String> checks = new ArrayList<>();
        if (beside.damage() != null) {
            return broken(lineNumber, "its head file is damaged: " + beside.damage(), chain);
        }
        if (beside.head().isPresent()) {
            AuditHead head = beside.head().get();
            if (chain.records < head.records()) {
                return broken(
                        chain.records + 1,
                        "the trail ends after record " + chain.records + ", but its head file " + beside.name()
                                + " says " + head.records() + " records were written: the file was cut and records "
                                + (chain.records + 1)
                                + (head.records() > chain.records + 1 ? " to " + head.records() : "")
                                + " are missing",
                        chain);
            }
            if (!head.head().equals(chain.hashAtHeadRecord)) {
                return broken(
                        head.records(),
                        "the SHA-256 of record " + head.records() + " is not the one its head file " + beside.name()
                                + " keeps: that record was edited (or the head file belongs to another trail)",
                        chain);
            }
            checks.add("end matches " + beside.name());
        }
        if (expectedHead != null) {
            if (chain.expectedHeadAt < 0) {
                return broken(
                        lineNumber,
                        "no record has the expected head " + expectedHead + ": the trail was cut before that"
                                + " record, or a record up to it was edited or rewritten",
                        chain);
            }
            checks.add(
                    chain.expectedHeadAt == chain.records
                            ? Option.AUDIT_HEAD.named() + " is the last record"
                            : Option.AUDIT_HEAD.named() + " is record " + chain.expectedHeadAt + " of "
                                    + chain.records);
        }
        if (chain.declaresHeadFile && beside.head().isEmpty() && expectedHead == null) {
            return broken(
                    lineNumber,
                    "the trail keeps its head in " + (beside.name() == null ? "a head file" : beside.name())
                            + " beside it, which is missing, so a cut at its end could not be seen: put the head file"
                            + " back beside the trail, or give the head printed at the end of the run with "
                            + Option.AUDIT_HEAD.named(),
                    chain);
        }
        AuditVerification.Summary summary = chain.summary(checks.isEmpty() ? null : String.join(", ", checks));
        return summary.lastRunFinished()
                ? new AuditVerification.Intact(summary)
                : new AuditVerification.Unfinished(summary);
    }

    private static AuditVerification.Broken broken(long line, String problem, Chain chain) {
        return new AuditVerification.Broken(line, problem, chain.records == 0 ? null : chain.summary(null));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The state carried from one record to the next. */
    private static final class Chain {
        final long headRecord;
        final String expectedHead;
        String hashAtHeadRecord;
        long expectedHeadAt = -1;
        boolean declaresHeadFile;
        long records;
        String head = AuditEvent.GENESIS;
        String currentRun;
        boolean runOpen;
        String lastStatus;
        Instant first;
        Instant last;
        final List<String> runs = new ArrayList<>();
        final Set<String> seenRuns = new HashSet<>();

        /**
         * @param headRecord the record whose hash the head file keeps, or -1
         * @param expectedHead a hash some record must have, or null
         */
        Chain(long headRecord, String expectedHead) {
            this.headRecord = headRecord;
            this.expectedHead = expectedHead;
        }

        /** Checks one line; returns what is wrong with it, or null after taking it into the chain. */
        String accept(long lineNumber, byte[] bytes) {
            String line;
            try {
                line = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                return "not valid UTF-8";
            }
            if (line.isEmpty()) {
                return "empty line";
            }
            AuditEvent event;
            try {
                event = AuditEvent.parse(line);
            } catch (IllegalArgumentException e) {
                return "not a well-formed record: " + e.getMessage();
            }
            List<String> problems = new ArrayList<>();
            long expectedSeq = records + 1;
            if (event.seq() != expectedSeq) {
                problems.add("seq is " + event.seq() + ", expected " + expectedSeq
                        + " (a record was removed, inserted or moved here)");
            }
            if (!event.prev().equals(head)) {
                problems.add(
                        lineNumber == 1
                                ? "prev of the first record is not " + AuditEvent.GENESIS
                                        + " (records before it were removed)"
                                : "prev does not match the SHA-256 of line " + (lineNumber - 1)
                                        + " (that line was edited, or a line was removed, inserted or moved here)");
            }
            if (!runOpen) {
                if (!event.type().equals(AuditEvents.RUN_STARTED)) {
                    problems.add((lineNumber == 1 ? "the first record" : "a record after run.finished") + " is "
                            + event.type() + ", expected " + AuditEvents.RUN_STARTED);
                } else if (seenRuns.contains(event.run())) {
                    problems.add("run " + event.run() + " starts a second time");
                }
            } else if (event.type().equals(AuditEvents.RUN_STARTED)) {
                problems.add("run.started while run " + currentRun + " has not finished");
            } else if (!event.run().equals(currentRun)) {
                problems.add("run id " + event.run() + " differs from the run in progress, " + currentRun);
            }
            if (!problems.isEmpty()) {
                return String.join("; ", problems);
            }
            records++;
            head = AuditEvent.hash(bytes);
            if (records == headRecord) {
                hashAtHeadRecord = head;
            }
            if (expectedHeadAt < 0 && head.equals(expectedHead)) {
                expectedHeadAt = records;
            }
            if (first == null) {
                first = event.time();
            }
            last = event.time();
            if (event.type().equals(AuditEvents.RUN_STARTED)) {
                runOpen = true;
                declaresHeadFile |= Boolean.TRUE.equals(event.fields().get(JsonLinesAuditLog.HEAD_FILE_FIELD));
                currentRun = event.run();
                runs.add(currentRun);
                seenRuns.add(currentRun);
                lastStatus = null;
            } else if (event.type().equals(AuditEvents.RUN_FINISHED)) {
                runOpen = false;
                Object status = event.fields().get("status");
                lastStatus = status == null ? "unknown" : status.toString();
            }
            return null;
        }

        AuditVerification.Summary summary(String checked) {
            return new AuditVerification.Summary(records, runs, first, last, lastStatus, head, !runOpen, checked);
        }
    }
}
