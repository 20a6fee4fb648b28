package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierTest {
    @TempDir
    Path dir;

    private Path file;
    private List<String> lines;

    @BeforeEach
    void writeSample() throws Exception {
        file = SampleTrail.write(dir.resolve("trail.jsonl"));
        lines = SampleTrail.lines(file);
        assertThat(lines).hasSize(6);
    }

    @Test
    void anIntactTrailVerifiesWithASummary() {
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Intact.class);
        assertThat(result.chainIntact()).isTrue();
        assertThat(result.summaryLine())
                .isEqualTo("intact: 6 records, run 20261123T120000Z-3fa9c1, 2026-11-23T12:00:00.123Z to"
                        + " 2026-11-23T12:00:07.623Z (7.5s), status succeeded, head " + AuditEvent.hash(lines.get(5))
                        + "; end matches trail.jsonl.head");
    }

    @Test
    void editingAFieldBreaksTheChainAtTheNextRecord() throws Exception {
        lines.set(2, lines.get(2).replace("\"exitCode\":0", "\"exitCode\":1"));
        assertBroken(4, "prev does not match the SHA-256 of line 3");
    }

    @Test
    void editingOnlyWhitespaceOrKeyOrderBreaksItToo() throws Exception {
        lines.set(1, lines.get(1).replace("\"seq\":2,", "\"seq\": 2,"));
        assertBroken(3, "prev does not match the SHA-256 of line 2");
    }

    @Test
    void droppingALineIsCaughtWhereItWas() throws Exception {
        lines.remove(2);
        assertBroken(3, "seq is 4, expected 3");
    }

    @Test
    void droppingTheFirstLineIsCaught() throws Exception {
        lines.remove(0);
        assertBroken(1, "seq is 2, expected 1");
        assertThat(AuditVerifier.verify(file).summaryLine())
                .contains("prev of the first record is not " + AuditEvent.GENESIS)
                .contains("the first record is lock.acquired, expected run.started");
    }

    @Test
    void swappingTwoLinesIsCaughtAtTheFirstOfThem() throws Exception {
        Collections.swap(lines, 2, 3);
        assertBroken(3, "seq is 4, expected 3");
    }

    @Test
    void truncatingMidLineIsCaught() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int cut = (String.join("\n", lines.subList(0, 4)) + "\n" + lines.get(4).substring(0, 30))
                .getBytes(StandardCharsets.UTF_8)
                .length;
        Files.write(file, Arrays.copyOf(bytes, cut));
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result.summaryLine())
                .isEqualTo("broken at line 5: the line has no newline at its end: the file was cut in the middle"
                        + " of a record (or a record is being written)");
        assertThat(((AuditVerification.Broken) result).before().records()).isEqualTo(4);
    }

    @Test
    void truncatingAtALineBoundaryIsCaughtByTheHeadFile() throws Exception {
        SampleTrail.writeLines(file, lines.subList(0, 4));
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Broken.class);
        assertThat(result.summaryLine())
                .isEqualTo("broken at line 5: the trail ends after record 4, but its head file trail.jsonl.head says 6"
                        + " records were written: the file was cut and records 5 to 6 are missing");
        assertThat(((AuditVerification.Broken) result).before().records()).isEqualTo(4);
    }

    @Test
    void aTrailWithoutAHeadFileCutAtALineBoundaryIsUnfinished() throws Exception {
        // A trail written before head files existed: no run says it keeps one.
        for (int i = 0; i < lines.size(); i++) {
            lines.set(i, lines.get(i).replace(",\"headFile\":true", ""));
        }
        rechain(lines);
        Files.delete(AuditHead.fileFor(file));
        SampleTrail.writeLines(file, lines.subList(0, 4));
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Unfinished.class);
        assertThat(result.chainIntact()).isTrue();
        assertThat(result.summaryLine())
                .startsWith("unfinished: the trail ends without run.finished (truncated, or the run is still going):"
                        + " 4 records, run 20261123T120000Z-3fa9c1")
                .contains("status none");
    }

    @Test
    void aMissingHeadFileIsCaughtWhenTheTrailSaysItKeepsOne() throws Exception {
        Files.delete(AuditHead.fileFor(file));
        SampleTrail.writeLines(file, lines.subList(0, 4));
        assertThat(AuditVerifier.verify(file).summaryLine())
                .isEqualTo("broken at line 4: the trail keeps its head in trail.jsonl.head beside it, which is missing,"
                        + " so a cut at its end could not be seen: put the head file back beside the trail, or give"
                        + " the head printed at the end of the run with audit-head");
        String fourth = AuditEvent.hash(lines.get(3));
        assertThat(AuditVerifier.verify(file, fourth).summaryLine()).endsWith("; audit-head is the last record");
        assertThat(AuditVerifier.verify(file, AuditEvent.hash(lines.get(5))).summaryLine())
                .startsWith("broken at line 4: no record has the expected head " + AuditEvent.hash(lines.get(5)));
    }

    @Test
    void aDamagedHeadFileIsNamed() throws Exception {
        Files.writeString(AuditHead.fileFor(file), "{\"records\":six}\n");
        assertThat(AuditVerifier.verify(file).summaryLine())
                .startsWith("broken at line 6: its head file is damaged: trail.jsonl.head is not a head file");
    }

    @Test
    void aForgedLineWithItsOwnHashRecomputedIsCaughtAtTheLineAfterIt() throws Exception {
        AuditEvent original = AuditEvent.parse(lines.get(2));
        AuditEvent forged = new AuditEvent(
                3,
                original.time(),
                original.run(),
                AuditEvents.APPROVAL_GRANTED,
                Map.of("by", "mallory"),
                AuditEvent.hash(lines.get(1)));
        lines.add(2, forged.toLine());
        assertBroken(4, "seq is 3, expected 4");
        assertThat(AuditVerifier.verify(file).summaryLine()).contains("prev does not match the SHA-256 of line 3");
    }

    @Test
    void editingTheLastLineIsCaughtByTheHeadFileOrByTheHead() throws Exception {
        String head = AuditEvent.hash(lines.get(5));
        lines.set(5, lines.get(5).replace("succeeded", "failed"));
        SampleTrail.writeLines(file, lines);
        assertThat(AuditVerifier.verify(file).summaryLine())
                .isEqualTo("broken at line 6: the SHA-256 of record 6 is not the one its head file trail.jsonl.head"
                        + " keeps: that record was edited (or the head file belongs to another trail)");
        // Someone who rewrites the head file too: only the head kept elsewhere (the build log) reveals the edit.
        Files.writeString(AuditHead.fileFor(file), new AuditHead(6, AuditEvent.hash(lines.get(5))).line());
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Intact.class);
        AuditVerification result = AuditVerifier.verify(file, head);
        assertThat(result).isInstanceOf(AuditVerification.Broken.class);
        assertThat(((AuditVerification.Broken) result).line()).isEqualTo(6);
        assertThat(result.summaryLine()).contains("no record has the expected head " + head);
        assertThat(AuditVerifier.verify(SampleTrail.write(dir.resolve("fresh.jsonl")), head))
                .isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void rewritingTheWholeChainAfterAnEditIsCaughtByTheHead() throws Exception {
        String head = AuditEvent.hash(lines.get(5));
        Map<Integer, String> edit = Map.of(2, "git fetch --tags evil");
        rechain(lines, edit);
        SampleTrail.writeLines(file, lines);
        Files.writeString(AuditHead.fileFor(file), new AuditHead(6, AuditEvent.hash(lines.get(5))).line());
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Intact.class);
        assertThat(AuditVerifier.verify(file, head).summaryLine()).startsWith("broken at line 6:");
    }

    @Test
    void theHeadOfAnEarlierRunStillVerifiesAfterLaterRunsAndCatchesACutBeforeIt() throws Exception {
        String firstRunHead = AuditEvent.hash(lines.get(5));
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "run-2", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, Map.of());
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }
        assertThat(AuditVerifier.verify(file, firstRunHead).summaryLine())
                .startsWith("intact: 8 records")
                .endsWith("; end matches trail.jsonl.head, audit-head is record 6 of 8");
        // Cut back to before the first run's end, head file and all: the head from the build log shows it.
        List<String> all = SampleTrail.lines(file);
        SampleTrail.writeLines(file, all.subList(0, 4));
        Files.writeString(AuditHead.fileFor(file), new AuditHead(4, AuditEvent.hash(all.get(3))).line());
        assertThat(AuditVerifier.verify(file, firstRunHead).summaryLine())
                .startsWith("broken at line 4: no record has the expected head " + firstRunHead);
    }

    /** Recomputes every seq-preserving prev after editing, as a forger would. */
    private static void rechain(List<String> lines) {
        rechain(lines, Map.of());
    }

    private static void rechain(List<String> lines, Map<Integer, String> commands) {
        String prev = AuditEvent.GENESIS;
        for (int i = 0; i < lines.size(); i++) {
            AuditEvent e = AuditEvent.parse(lines.get(i));
            Map<String, Object> fields = new TreeMap<>(e.fields());
            if (commands.containsKey(i)) {
                fields.put("command", commands.get(i));
            }
            String line = new AuditEvent(e.seq(), e.time(), e.run(), e.type(), fields, prev).toLine();
            lines.set(i, line);
            prev = AuditEvent.hash(line);
        }
    }

    @Test
    void otherDamageIsNamed() throws Exception {
        assertThat(AuditVerifier.verify(new byte[0], null).summaryLine()).contains("the file is empty");

        lines.add(3, "");
        assertBroken(4, "empty line");

        lines.set(3, "not json at all");
        assertBroken(4, "not a well-formed record: not valid JSON");

        lines.set(3, "{\"seq\":4,\"seq\":4}");
        assertBroken(4, "not a well-formed record");
    }

    @Test
    void aRecordOfAnotherRunInsideARunIsCaught() throws Exception {
        AuditEvent e = AuditEvent.parse(lines.get(1));
        lines.set(1, new AuditEvent(e.seq(), e.time(), "other", e.type(), e.fields(), e.prev()).toLine());
        assertBroken(2, "run id other differs from the run in progress, " + SampleTrail.RUN);
    }

    @Test
    void aRecordAfterRunFinishedIsCaught() throws Exception {
        AuditEvent last = AuditEvent.parse(lines.get(5));
        lines.add(
                new AuditEvent(7, last.time(), last.run(), AuditEvents.COMMAND, Map.of(), AuditEvent.hash(lines.get(5)))
                        .toLine());
        assertBroken(7, "a record after run.finished is command, expected run.started");
    }

    @Test
    void invalidUtf8IsCaught() throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int at = (lines.get(0) + "\n" + lines.get(1).substring(0, 20)).getBytes(StandardCharsets.UTF_8).length;
        bytes[at] = (byte) 0xff;
        Files.write(file, bytes);
        assertThat(AuditVerifier.verify(file).summaryLine()).isEqualTo("broken at line 2: not valid UTF-8");
    }

    private void assertBroken(long line, String problem) throws Exception {
        SampleTrail.writeLines(file, lines);
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Broken.class);
        assertThat(result.chainIntact()).isFalse();
        assertThat(((AuditVerification.Broken) result).line()).isEqualTo(line);
        assertThat(result.summaryLine())
                .startsWith("broken at line " + line + ": ")
                .contains(problem);
    }
}
