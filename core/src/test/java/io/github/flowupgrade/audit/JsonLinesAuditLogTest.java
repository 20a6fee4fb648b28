package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.FlowVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest {
    @TempDir
    Path dir;

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-23T12:00:00.123456Z"), ZoneOffset.UTC);

    @Test
    void writesOneRecordPerLineInTheDocumentedShape() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        try (JsonLinesAuditLog log =
                JsonLinesAuditLog.open(file, "run-1", Redactor.create(), NOON, JsonLinesAuditLog.Durability.FLUSH)) {
            log.record(
                    AuditEvents.RUN_STARTED,
                    AuditEvents.runStarted("alice", null, "upgrade", "v4.3.1", List.of("b.example", "a.example")));
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("zeta", List.of(1, 2.5, true));
            fields.put("alpha", Map.of("y", "why", "x", "ex"));
            fields.put("none", null);
            log.record(AuditEvents.COMMAND, fields);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String first = "{\"seq\":1,\"time\":\"2026-11-23T12:00:00.123Z\",\"run\":\"run-1\",\"type\":\"run.started\","
                + "\"fields\":{\"actor\":\"alice\",\"buildUrl\":null,\"headFile\":true,"
                + "\"hosts\":[\"b.example\",\"a.example\"],"
                + "\"operation\":\"upgrade\",\"target\":\"v4.3.1\",\"toolVersion\":\"" + FlowVersion.get() + "\"},"
                + "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\"}";
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo(first);
        assertThat(lines.get(1))
                .isEqualTo("{\"seq\":2,\"time\":\"2026-11-23T12:00:00.123Z\",\"run\":\"run-1\",\"type\":\"command\","
                        + "\"fields\":{\"alpha\":{\"x\":\"ex\",\"y\":\"why\"},\"none\":null,\"zeta\":[1,2.5,true]},"
                        + "\"prev\":\"" + AuditEvent.hash(first) + "\"}");
        assertThat(Files.readString(file)).endsWith("}\n");
        assertThat(FlowVersion.get()).isNotEqualTo("unknown");
    }

    @Test
    void theHashOfALineIsItsUtf8BytesWithoutTheNewline() {
        assertThat(AuditEvent.hash("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(AuditEvent.GENESIS).isEqualTo("0".repeat(64));
        assertThat(AuditEvent.hash("é")).isEqualTo(AuditEvent.hash(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void parsesItsOwnLinesBack() {
        AuditEvent event = new AuditEvent(
                7, Instant.parse("2026-11-23T12:00:01.5Z"), "r", "lock.acquired", Map.of("host", "h"), "a".repeat(64));
        assertThat(AuditEvent.parse(event.toLine())).isEqualTo(event);
        assertThatThrownBy(() -> AuditEvent.parse("{\"seq\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys are [seq]");
        assertThatThrownBy(() -> AuditEvent.parse(event.toLine().replace("\"seq\":7", "\"seq\":\"7\"")))
                .hasMessageContaining("seq is not an integer");
    }

    @Test
    void theFirstRecordOfARunMustBeRunStartedAndNothingFollowsRunFinished() {
        Path file = dir.resolve("trail.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "r", Redactor.create())) {
            assertThatThrownBy(() -> log.record(AuditEvents.COMMAND, Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be run.started");
            log.record(AuditEvents.RUN_STARTED, Map.of());
            assertThatThrownBy(() -> log.record(AuditEvents.RUN_STARTED, Map.of()))
                    .isInstanceOf(IllegalStateException.class);
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
            assertThat(log.finished()).isTrue();
            assertThatThrownBy(() -> log.record(AuditEvents.COMMAND, Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has finished");
            assertThat(log.records()).isEqualTo(2);
        }
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void reopeningAFileContinuesItsChainWithANewRun() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        String headBefore = AuditEvent.hash(SampleTrail.lines(file).get(5));
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "run-2", Redactor.create())) {
            assertThat(log.records()).isEqualTo(6);
            assertThat(log.head()).isEqualTo(headBefore);
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted("bob", null, "restart", null, List.of("h")));
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Intact.class);
        AuditVerification.Summary summary = ((AuditVerification.Intact) result).summary();
        assertThat(summary.records()).isEqualTo(8);
        assertThat(summary.runs()).containsExactly(SampleTrail.RUN, "run-2");
        List<AuditEvent> events = AuditEvent.readAll(file);
        assertThat(events.get(6).prev()).isEqualTo(headBefore);
        assertThat(events.get(6).seq()).isEqualTo(7);
    }

    @Test
    void reopeningAfterADeadRunClosesThatRunAsAbandoned() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        JsonLinesAuditLog dead = JsonLinesAuditLog.open(file, "dead", Redactor.create());
        dead.record(AuditEvents.RUN_STARTED, Map.of());
        dead.record(AuditEvents.COMMAND, Map.of("command", "true"));
        dead.close(); // as a killed process would leave it: no run.finished
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Unfinished.class);

        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "next", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, Map.of());
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }
        List<AuditEvent> events = AuditEvent.readAll(file);
        assertThat(events)
                .extracting(AuditEvent::type)
                .containsExactly("run.started", "command", "run.finished", "run.started", "run.finished");
        assertThat(events.get(2).run()).isEqualTo("dead");
        assertThat(events.get(2).fields()).containsEntry("status", "abandoned");
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Intact.class);
    }

    @Test
    void refusesToAppendToADamagedFile() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        List<String> lines = SampleTrail.lines(file);
        lines.set(2, lines.get(2).replace("\"exitCode\":0", "\"exitCode\":1"));
        SampleTrail.writeLines(file, lines);
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> JsonLinesAuditLog.open(file, "run-2", Redactor.create()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("is damaged")
                .hasMessageContaining("broken at line 4")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.REFUSED));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    // Issue 16, item 7: a later run never masks an earlier cut.
    @Test
    void aRunCutMidWayIsNotClosedAsAbandonedByTheNextRun() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        JsonLinesAuditLog dead = JsonLinesAuditLog.open(file, "dead", Redactor.create());
        dead.record(AuditEvents.RUN_STARTED, Map.of());
        dead.record(AuditEvents.COMMAND, Map.of("command", "git fetch --tags"));
        dead.record(AuditEvents.COMMAND, Map.of("command", "git checkout --detach v4.3.1"));
        dead.close(); // the process died
        List<String> lines = SampleTrail.lines(file);
        SampleTrail.writeLines(file, lines.subList(0, 2)); // and someone cut the checkout off
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> JsonLinesAuditLog.open(file, "next", Redactor.create()))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED))
                .hasMessageContaining("is damaged, so this run will not append to it")
                .hasMessageContaining("records 3 are missing");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(AuditVerifier.verify(file)).isInstanceOf(AuditVerification.Broken.class);
    }

    @Test
    void aTrailCutAtARunBoundaryIsRefusedAndVerifiesBroken() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        List<String> firstRun = SampleTrail.lines(file);
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "run-2", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, Map.of());
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("failed", 4, "the evidence"));
        }
        SampleTrail.writeLines(file, firstRun); // run-2 removed whole: what is left is a well-formed chain

        assertThat(AuditVerifier.verify(file).summaryLine())
                .startsWith("broken at line 7: the trail ends after record 6, but its head file trail.jsonl.head says"
                        + " 8 records were written");
        assertThatThrownBy(() -> JsonLinesAuditLog.open(file, "run-3", Redactor.create()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("is damaged");

        Files.writeString(file, "");
        assertThatThrownBy(() -> JsonLinesAuditLog.open(file, "run-3", Redactor.create()))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED))
                .hasMessageContaining("is empty, but its head file says 8 records were written");
    }

    @Test
    void theTrailAndItsHeadFileAreCreatedForTheirOwnerOnly() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(AuditHead.fileFor(file))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(AuditHead.fileFor(file)))
                .isEqualTo("{\"records\":6,\"head\":\""
                        + AuditEvent.hash(SampleTrail.lines(file).get(5)) + "\"}\n");
    }

    @Test
    void refusesASecondWriterOnTheSameFile() {
        Path file = dir.resolve("trail.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "one", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, Map.of());
            assertThatThrownBy(() -> JsonLinesAuditLog.open(file, "two", Redactor.create()))
                    .isInstanceOf(FlowException.class)
                    .hasMessageContaining("open in another run");
        }
    }

    @Test
    void refusesToReuseARunId() {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        assertThatThrownBy(() -> JsonLinesAuditLog.open(file, SampleTrail.RUN, Redactor.create()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("already holds run");
    }

    @Test
    void eightConcurrentWritersProduceOneIntactChain() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        int threads = 8;
        int perThread = 250;
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(
                file,
                "parallel",
                Redactor.of("hunter2-secret"),
                new SteppingClock(Instant.parse("2026-11-23T12:00:00Z"), Duration.ofMillis(1)),
                JsonLinesAuditLog.Durability.FLUSH)) {
            log.record(AuditEvents.RUN_STARTED, Map.of("hosts", List.of("h0", "h1", "h2", "h3")));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String host = "h" + t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        log.record(
                                AuditEvents.COMMAND,
                                Map.of("host", host, "i", i, "command", "echo hunter2-secret " + "x".repeat(i % 50)));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }
        AuditVerification result = AuditVerifier.verify(file);
        assertThat(result).isInstanceOf(AuditVerification.Intact.class);
        assertThat(((AuditVerification.Intact) result).summary().records()).isEqualTo(threads * perThread + 2L);
        List<AuditEvent> events = AuditEvent.readAll(file);
        for (int t = 0; t < threads; t++) {
            String host = "h" + t;
            // Each writer's own records keep their order within the shared sequence.
            assertThat(events.stream()
                            .filter(e -> host.equals(e.fields().get("host")))
                            .map(e -> ((Number) e.fields().get("i")).intValue())
                            .toList())
                    .isSorted()
                    .hasSize(perThread);
        }
        assertThat(Files.readString(file)).doesNotContain("hunter2-secret");
    }
}
