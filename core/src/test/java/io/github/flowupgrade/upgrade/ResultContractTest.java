package io.github.flowupgrade.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.upgrade.services.RestartResult;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code --json} fields the CLI, the plugin and pipelines rely on. */
class ResultContractTest {
    @Test
    void restartResultHasTheDocumentedFields() {
        ServiceOutcome sidekiq = new ServiceOutcome(
                "mastodon-sidekiq", "sidekiq", ServiceAction.RESTART, "restarted", 41L, 97L, true, 1100);
        ServiceOutcome web =
                new ServiceOutcome("mastodon-web", "web", ServiceAction.RELOAD, "reloaded", 55L, 55L, true, 90);
        StreamingOutcome streaming = new StreamingOutcome(
                true,
                "the release notes of v4.3.0 require a streaming restart",
                true,
                "Alice Admin",
                Instant.parse("2026-11-23T12:00:00Z"),
                true,
                StreamingOutcome.RESTARTED,
                List.of());
        Map<String, Object> map =
                new RestartResult("mastodon.example", List.of(sidekiq, web), streaming, 1500, "done").toMap();

        assertThat(map).containsKeys("host", "services", "streaming", "durationMs", "status");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) map.get("services");
        assertThat(services.get(0))
                .containsEntry("name", "mastodon-sidekiq")
                .containsEntry("action", "restart")
                .containsEntry("result", "restarted")
                .containsEntry("mainPidBefore", 41L)
                .containsEntry("mainPidAfter", 97L)
                .containsEntry("healthy", true);
        assertThat(services.get(1)).containsEntry("action", "reload").containsEntry("mainPidAfter", 55L);
        @SuppressWarnings("unchecked")
        Map<String, Object> stream = (Map<String, Object>) map.get("streaming");
        assertThat(stream)
                .containsEntry("needed", true)
                .containsEntry("reason", "the release notes of v4.3.0 require a streaming restart")
                .containsEntry("approved", true)
                .containsEntry("approvedBy", "Alice Admin")
                .containsEntry("restarted", true);
    }

    @Test
    void pendingStreamingIsNotRestartedAndSaysSo() {
        StreamingOutcome pending =
                new StreamingOutcome(true, "why", false, null, null, false, StreamingOutcome.PENDING, List.of());
        assertThat(pending.pending()).isTrue();
        assertThat(pending.toMap())
                .containsEntry("approved", false)
                .containsEntry("approvedBy", null)
                .containsEntry("restarted", false)
                .containsEntry("status", "pending approval");
    }

    @Test
    void stepLogReportsWhatRanAndWhatDidNot() {
        StepLog log = new StepLog();
        log.plan("checkout v4.3.1", "v4.3.1");
        log.plan("reload web for v4.3.1", "v4.3.1");
        log.plan("streaming restart", null);
        log.run("checkout v4.3.1", () -> "checked-out", false);
        try {
            log.run(
                    "reload web for v4.3.1",
                    () -> {
                        throw new IllegalStateException("mastodon-web did not come back\nstatus...");
                    },
                    false);
        } catch (IllegalStateException expected) {
            // the failure is reported below
        }
        List<StepRecord> report = log.report();
        assertThat(report)
                .extracting(StepRecord::name, StepRecord::hop, StepRecord::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("checkout v4.3.1", "v4.3.1", "done"),
                        org.assertj.core.groups.Tuple.tuple("reload web for v4.3.1", "v4.3.1", "failed"),
                        org.assertj.core.groups.Tuple.tuple("streaming restart", null, "not run"));
        assertThat(report.get(1).detail()).isEqualTo("mastodon-web did not come back");
    }
}
