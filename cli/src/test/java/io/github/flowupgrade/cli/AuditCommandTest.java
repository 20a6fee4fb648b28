package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditHead;
import io.github.flowupgrade.audit.JsonLinesAuditLog;
import io.github.flowupgrade.audit.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuditCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run flow(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** A command of the kind other subcommands are, using the mixin the way they will. */
    @CommandLine.Command(name = "fake-upgrade")
    static final class FakeUpgrade implements Runnable {
        @CommandLine.Mixin
        AuditOptions audit = new AuditOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Option(names = "--fail")
        boolean fail;

        @Override
        public void run() {
            JsonLinesAuditLog log =
                    audit.start("upgrade", "v4.3.1", List.of("a.example", "b.example"), Redactor.create());
            Throwable error = null;
            try {
                log.record(AuditEvents.COMMAND, Map.of("host", "a.example", "command", "git fetch", "exitCode", 0));
                if (fail) {
                    throw FlowException.remoteFailed("git checkout failed on a.example");
                }
            } catch (RuntimeException e) {
                error = e;
                throw e;
            } finally {
                AuditOptions.finish(log, error, spec.commandLine().getErr());
            }
        }
    }

    private Path trail(String... extraArgs) {
        Path file = dir.resolve("trail.jsonl");
        FakeUpgrade command = new FakeUpgrade();
        command.audit.env = Map.of("USER", "ci", "BUILD_URL", "https://ci.example/job/9/");
        List<String> args = new ArrayList<>(List.of("--audit-log", file.toString(), "--actor", "alice"));
        args.addAll(List.of(extraArgs));
        new CommandLine(command).execute(args.toArray(String[]::new));
        return file;
    }

    @Test
    void verifyExitsZeroWithASummaryForAnIntactTrail() throws Exception {
        Path file = trail();
        Run r = flow("audit", "verify", file.toString());
        assertThat(r.code()).isZero();
        String head = AuditEvent.hash(Files.readAllLines(file).get(2));
        assertThat(r.out()).startsWith("intact: 3 records, run ").contains("status succeeded, head " + head);
        assertThat(r.out().lines()).hasSize(1);
        assertThat(flow("audit", "verify", "--head", head, file.toString()).code())
                .isZero();
    }

    @Test
    void theMixinRecordsWhoFromWhereAndTheOutcome() throws Exception {
        Path file = trail("--fail");
        List<AuditEvent> events = AuditEvent.readAll(file);
        assertThat(events).extracting(AuditEvent::type).containsExactly("run.started", "command", "run.finished");
        assertThat(events.get(0).run()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{6}");
        assertThat(events.get(0).fields())
                .containsEntry("actor", "alice")
                .containsEntry("buildUrl", "https://ci.example/job/9/")
                .containsEntry("operation", "upgrade")
                .containsEntry("target", "v4.3.1")
                .containsEntry("hosts", List.of("a.example", "b.example"));
        assertThat(events.get(2).fields())
                .containsEntry("status", "failed")
                .containsEntry("exitCode", 4)
                .containsEntry("error", "git checkout failed on a.example");
        assertThat(flow("audit", "verify", file.toString()).out()).contains("status failed");
    }

    @Test
    void defaultsComeFromTheEnvironmentAndTheRunId() {
        AuditOptions options = new AuditOptions();
        options.env = Map.of("USER", "bob");
        options.clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        assertThat(options.actor()).startsWith("bob@").hasSizeGreaterThan(4);
        assertThat(options.buildUrl()).isNull();
        assertThat(options.file("20261123T120000Z-abcdef"))
                .isEqualTo(Path.of("flow-audit-20261123T120000Z-abcdef.jsonl"));
        assertThat(AuditEvents.newRunId(options.clock)).matches("20261123T120000Z-[0-9a-f]{6}");
        options.env = Map.of("BUILD_URL", "https://ci/job/1/");
        assertThat(options.buildUrl()).isEqualTo("https://ci/job/1/");
    }

    @Test
    void verifyExitsThreeAndNamesTheFirstBrokenRecord() throws Exception {
        Path file = trail();
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).replace("git fetch", "git fetch --evil"));
        Files.writeString(file, String.join("\n", lines) + "\n");
        Run r = flow("audit", "verify", file.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out())
                .startsWith("broken at line 3: prev does not match the SHA-256 of line 2")
                .contains("  line 3: {\"seq\":3,");
    }

    @Test
    void verifyCatchesEachKindOfTampering() throws Exception {
        Path original = trail();
        List<String> intact = Files.readAllLines(original);
        Path file = dir.resolve("tampered.jsonl");
        // A copy keeps its head file beside it, as the trail's own does.
        Files.copy(AuditHead.fileFor(original), AuditHead.fileFor(file));

        List<String> dropped = new ArrayList<>(intact);
        dropped.remove(1);
        write(file, String.join("\n", dropped) + "\n");
        assertThat(flow("audit", "verify", file.toString()).out()).startsWith("broken at line 2: seq is 3, expected 2");

        List<String> swapped = new ArrayList<>(intact);
        Collections.swap(swapped, 1, 2);
        write(file, String.join("\n", swapped) + "\n");
        assertThat(flow("audit", "verify", file.toString()).out()).startsWith("broken at line 2: seq is 3, expected 2");

        write(file, String.join("\n", intact) + "\n" + "{\"seq\":4");
        Run cutMidLine = flow("audit", "verify", file.toString());
        assertThat(cutMidLine.code()).isEqualTo(3);
        assertThat(cutMidLine.out()).startsWith("broken at line 4: the line has no newline at its end");

        write(file, String.join("\n", intact.subList(0, 2)) + "\n");
        Run cutAtBoundary = flow("audit", "verify", file.toString());
        assertThat(cutAtBoundary.code()).isEqualTo(3);
        assertThat(cutAtBoundary.out())
                .startsWith(
                        "broken at line 3: the trail ends after record 2, but its head file tampered.jsonl.head says"
                                + " 3 records were written");
        assertThat(flow("audit", "verify", "--allow-unfinished", file.toString())
                        .code())
                .isEqualTo(3);

        Files.delete(AuditHead.fileFor(file));
        Run noHeadFile = flow("audit", "verify", file.toString());
        assertThat(noHeadFile.code()).isEqualTo(3);
        assertThat(noHeadFile.out()).contains("tampered.jsonl.head beside it, which is missing");
        // The head printed at the end of the run (the build log) anchors the trail without its head file.
        String printedHead = AuditEvent.hash(intact.get(2));
        Run withHead = flow("audit", "verify", "--head", printedHead, file.toString());
        assertThat(withHead.code()).isEqualTo(3);
        assertThat(withHead.out()).startsWith("broken at line 2: no record has the expected head " + printedHead);
    }

    @Test
    void verifyOfAMissingFileIsBadInput() {
        Run r = flow("audit", "verify", dir.resolve("nope.jsonl").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
        assertThat(flow("audit", "verify", "--head", "xyz", "f").code()).isEqualTo(2);
        assertThat(flow("audit").code()).isEqualTo(2);
    }

    @Test
    void showPrintsATimelineEndingWithTheVerdict() {
        Path file = trail();
        Run r = flow("audit", "show", file.toString());
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z  #1    run\\.started  .*")
                .contains("by alice (https://ci.example/job/9/): upgrade to v4.3.1 on a.example, b.example");
        assertThat(lines.get(1)).contains("#2    command", "a.example").contains("git fetch -> exit 0");
        assertThat(lines.get(2)).contains("#3    run.finished", "succeeded, exit 0");
        assertThat(lines.get(3)).startsWith("intact: 3 records");
    }

    @Test
    void showFoldsLongValuesAndFullPrintsOneRecordWhole() throws Exception {
        Path file = dir.resolve("long.jsonl");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 19; i++) {
            items.add(Map.of("release", "v4.3.0", "text", "Manual step " + i + " of the release notes"));
        }
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "r", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted("alice", null, "upgrade", "v4.3.1", List.of()));
            log.record(AuditEvents.MANUAL_CONFIRMED, Map.of("host", "a.example", "by", "alice", "items", items));
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }

        Run shown = flow("audit", "show", file.toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        List<String> lines = shown.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1))
                .contains("#2    manual.confirmed", "items=[19 items]")
                .doesNotContain("Manual step");
        assertThat(lines.get(3)).startsWith("intact: 3 records");
        assertThat(shown.err()).contains("flow audit show " + file + " --full N");

        Run whole = flow("audit", "show", file.toString(), "--full", "2");
        assertThat(whole.code()).as(whole.err()).isZero();
        for (int i = 1; i <= 19; i++) {
            assertThat(whole.out()).contains("Manual step " + i + " of the release notes");
        }
        assertThat(whole.out().lines().toList().get(0)).contains("#2    manual.confirmed");
        assertThat(whole.out().strip()).endsWith(lines.get(3));

        Run missing = flow("audit", "show", file.toString(), "--full", "7");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no record #7").contains("3 records");
        assertThat(flow("audit", "show", file.toString(), "--full", "0").code()).isEqualTo(2);
    }

    private static void write(Path file, String content) throws Exception {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
