package io.github.flowupgrade.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small, complete trail of one run (six records), written by the real log, for the verifier and timeline tests. */
final class SampleTrail {
    static final String RUN = "20261123T120000Z-3fa9c1";
    static final Instant START = Instant.parse("2026-11-23T12:00:00.123Z");

    private SampleTrail() {}

    static Path write(Path file) {
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(
                file,
                RUN,
                Redactor.create(),
                new SteppingClock(START, Duration.ofMillis(1500)),
                JsonLinesAuditLog.Durability.FLUSH)) {
            log.record(
                    AuditEvents.RUN_STARTED,
                    AuditEvents.runStarted(
                            "alice", "https://ci.example/job/7/", "upgrade", "v4.3.1", List.of("social.example")));
            log.record(
                    AuditEvents.LOCK_ACQUIRED,
                    Map.of("host", "social.example", "lock", "/home/mastodon/.flow-upgrade/lock"));
            log.record(
                    AuditEvents.COMMAND,
                    Map.of(
                            "host",
                            "social.example",
                            "user",
                            "mastodon",
                            "command",
                            "git fetch --tags origin",
                            "exitCode",
                            0,
                            "durationMs",
                            1200,
                            "outputBytes",
                            311));
            log.record(
                    AuditEvents.CHECKOUT_COMPLETED,
                    Map.of("host", "social.example", "from", "v4.2.0", "to", "v4.3.1", "commit", "abc1234def"));
            log.record(AuditEvents.LOCK_RELEASED, Map.of("host", "social.example"));
            log.record(AuditEvents.RUN_FINISHED, AuditEvents.runFinished("succeeded", 0, null));
        }
        return file;
    }

    /** The file's lines without their newlines. */
    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
