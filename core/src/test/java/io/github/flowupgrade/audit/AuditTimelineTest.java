package io.github.flowupgrade.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.FlowVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTimelineTest {
    @TempDir
    Path dir;

    @Test
    void rendersOneLinePerRecordThenTheVerdict() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        List<String> timeline = AuditTimeline.render(file);
        assertThat(timeline)
                .containsExactly(
                        "2026-11-23T12:00:00.123Z  #1    run.started         run 20261123T120000Z-3fa9c1 by alice"
                                + " (https://ci.example/job/7/): upgrade to v4.3.1 on social.example, flow "
                                + FlowVersion.get(),
                        "2026-11-23T12:00:01.623Z  #2    lock.acquired       [social.example]"
                                + " lock=/home/mastodon/.flow-upgrade/lock",
                        "2026-11-23T12:00:03.123Z  #3    command             social.example mastodon$"
                                + " git fetch --tags origin -> exit 0 in 1.2s, 311 bytes out",
                        "2026-11-23T12:00:04.623Z  #4    checkout.completed  [social.example] commit=abc1234def"
                                + " from=v4.2.0 to=v4.3.1",
                        "2026-11-23T12:00:06.123Z  #5    lock.released       [social.example]",
                        "2026-11-23T12:00:07.623Z  #6    run.finished        run 20261123T120000Z-3fa9c1"
                                + " succeeded, exit 0",
                        AuditVerifier.verify(file).summaryLine());
        assertThat(timeline.get(6)).startsWith("intact: 6 records");
    }

    @Test
    void showsDamagedLinesAndTheFirstBreak() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        List<String> lines = SampleTrail.lines(file);
        lines.set(1, "garbage");
        lines.set(3, lines.get(3).replace("v4.2.0", "line\\nbreak \\\"quoted\\\""));
        SampleTrail.writeLines(file, lines);
        List<String> timeline = AuditTimeline.render(file);
        assertThat(timeline).hasSize(7);
        assertThat(timeline.get(1)).startsWith("line 2: not a record (not valid JSON");
        assertThat(timeline.get(3)).contains("from=\"line\\nbreak \\\"quoted\\\"\"");
        assertThat(timeline.get(6)).startsWith("broken at line 2: not a well-formed record");
    }

    @Test
    void terminalEscapesInATrailAreShownNotObeyed() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "r", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted("\u001b[2Jeve", null, "x", null, List.of()));
            log.record(AuditEvents.SERVICE_HEALTH, Map.of("body\u001b]0;", "ok\u001b[31m"));
        }
        List<String> timeline = AuditTimeline.render(file);
        assertThat(String.join("\n", timeline)).doesNotContain("\u001b");
        assertThat(timeline.get(0)).contains("by \\u001b[2Jeve");
        assertThat(timeline.get(1)).endsWith("body\\u001b]0;=\"ok\\u001B[31m\"");
    }

    @Test
    void longValuesAreFoldedToTheirSizeAndOneRecordIsShownWhole() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 1; i <= 19; i++) {
            items.add(Map.of("release", "v4.3.0", "text", "Manual step " + i + ": " + "x".repeat(150)));
        }
        String script = "set -e; " + "echo step; ".repeat(300);
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "r", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted("alice", null, "upgrade", "v4.3.1", List.of()));
            log.record(
                    AuditEvents.MANUAL_CONFIRMED,
                    Map.of("host", "social.example", "by", "alice", "how", "confirm-manual", "items", items));
            log.record(
                    AuditEvents.COMMAND,
                    Map.of("host", "social.example", "user", "mastodon", "command", script, "exitCode", 0));
            log.record(AuditEvents.STREAMING_DECISION, Map.of("host", "social.example", "units", List.of("a", "b")));
        }

        AuditTimeline.Timeline timeline = AuditTimeline.timeline(file);

        assertThat(timeline.folded()).isTrue();
        String manual = timeline.lines().get(1);
        assertThat(manual)
                .contains("[social.example] by=alice how=confirm-manual items=[19 items]")
                .doesNotContain("Manual step");
        String command = timeline.lines().get(2);
        assertThat(command)
                .contains("social.example mastodon$ set -e; echo step;")
                .contains("... (" + script.length() + " characters) -> exit 0");
        assertThat(command.length()).isLessThan(AuditTimeline.MAX_TEXT + 120);
        // Short values are shown as they are.
        assertThat(timeline.lines().get(3)).endsWith("units=[\"a\",\"b\"]");
        assertThat(timeline.lines().get(4)).startsWith("unfinished");

        List<String> whole = AuditTimeline.record(file, 2);
        String text = String.join("\n", whole);
        assertThat(whole.get(0)).contains("#2").contains("Manual step 19: ");
        for (int i = 1; i <= 19; i++) {
            assertThat(text).contains("Manual step " + i + ": " + "x".repeat(150));
        }
        assertThat(text).contains("\"type\" : \"manual.confirmed\"").contains("\"prev\" : ");
        assertThat(whole.get(whole.size() - 1)).startsWith("unfinished");
        assertThat(String.join("\n", AuditTimeline.record(file, 3))).contains(script.strip());

        assertThatThrownBy(() -> AuditTimeline.record(file, 9))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("no record #9")
                .hasMessageContaining("4 records");
    }

    @Test
    void aTrailWithNothingLongIsNotFolded() throws Exception {
        Path file = SampleTrail.write(dir.resolve("trail.jsonl"));
        assertThat(AuditTimeline.timeline(file).folded()).isFalse();
    }

    @Test
    void anInstanceStepReadsAsTheHostAndWhatItDid() throws Exception {
        Path file = dir.resolve("instance.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file, "r", Redactor.create())) {
            log.record(AuditEvents.RUN_STARTED, AuditEvents.runStarted("alice", null, "upgrade", "v4.3.1", List.of()));
            Map<String, Object> step = new java.util.LinkedHashMap<>();
            step.put("host", "web2.example.org");
            step.put("instance", "social.example.org");
            step.put("step", "reload web for v4.3.1");
            step.put("hop", "v4.3.1");
            step.put("status", "failed");
            step.put("detail", "mastodon-web did not come back");
            log.record(AuditEvents.INSTANCE_STEP, step);
        }
        assertThat(AuditTimeline.render(file).get(1))
                .endsWith("instance.step       [web2.example.org] reload web for v4.3.1: failed (mastodon-web did not"
                        + " come back) instance=social.example.org");
    }
}
