package io.github.flowupgrade.audit;

import io.github.flowupgrade.FlowException;
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
import java.util.Set;

/**
 * Checks a trail record by record: each line is a well-formed record, {@code seq} counts up by one from 1, {@code
 * prev} is the SHA-256 of the line before (so an edited, removed, inserted or moved line breaks the chain at the line
 * after it), every run opens with {@code run.started} and keeps its run id, and the last run ends with {@code
 * run.finished}. Reports the first record that does not hold.
 *
 * <p>An edit of the very last line leaves no later record to notice it; pass the head printed at the end of the run
 * (kept in the build log) as {@code expectedHead} to close that gap.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    public static AuditVerification verify(Path file) {
        return verify(file, null);
    }

    /**
     * @param expectedHead the SHA-256 the last line must have, or null to skip that check
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
        return verify(bytes, expectedHead);
    }

    public static AuditVerification verify(byte[] bytes, String expectedHead) {
        if (bytes.length == 0) {
            return new AuditVerification.Broken(1, "the file is empty: a trail starts with run.started", null);
        }
        Chain chain = new Chain();
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
        AuditVerification.Summary summary = chain.summary();
        if (expectedHead != null && !summary.head().equals(expectedHead)) {
            return broken(
                    lineNumber,
                    "the last record's SHA-256 is " + summary.head() + ", not the expected head " + expectedHead
                            + ": the last line was edited, or records were added or removed at the end",
                    chain);
        }
        return summary.lastRunFinished()
                ? new AuditVerification.Intact(summary)
                : new AuditVerification.Unfinished(summary);
    }

    private static AuditVerification.Broken broken(long line, String problem, Chain chain) {
        return new AuditVerification.Broken(line, problem, chain.records == 0 ? null : chain.summary());
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
        long records;
        String head = AuditEvent.GENESIS;
        String currentRun;
        boolean runOpen;
        String lastStatus;
        Instant first;
        Instant last;
        final List<String> runs = new ArrayList<>();
        final Set<String> seenRuns = new HashSet<>();

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
            if (first == null) {
                first = event.time();
            }
            last = event.time();
            if (event.type().equals(AuditEvents.RUN_STARTED)) {
                runOpen = true;
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

        AuditVerification.Summary summary() {
            return new AuditVerification.Summary(records, runs, first, last, lastStatus, head, !runOpen);
        }
    }
}
