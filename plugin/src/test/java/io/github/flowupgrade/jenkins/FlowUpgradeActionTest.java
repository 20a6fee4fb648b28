package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.upgrade.checkout.ChangedAreas;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.checkout.Revision;
import io.github.flowupgrade.upgrade.services.RestartResult;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import io.github.flowupgrade.upgrade.services.ServiceOutcome;
import io.github.flowupgrade.upgrade.services.StreamingOutcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The build page's record, fed with the engine's own result maps (the ones the steps return). */
class FlowUpgradeActionTest {
    private final FlowUpgradeAction action = new FlowUpgradeAction();

    @Test
    void recordsTheReleaseAndKeepsOnlyWebLinks() {
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("tag", "v4.3.1");
        release.put("name", "v4.3.1 <script>alert(1)</script>");
        release.put("url", "https://github.com/mastodon/mastodon/releases/tag/v4.3.1");
        action.recordRelease(release);

        assertThat(action.getReleaseTag()).isEqualTo("v4.3.1");
        assertThat(action.getReleaseName()).isEqualTo("v4.3.1 <script>alert(1)</script>");
        assertThat(action.getReleaseUrl()).isEqualTo("https://github.com/mastodon/mastodon/releases/tag/v4.3.1");

        release.put("url", "javascript:alert(1)");
        action.recordRelease(release);
        assertThat(action.getReleaseUrl()).isEqualTo("https://github.com/mastodon/mastodon/releases/tag/v4.3.1");
    }

    @Test
    void recordsEachHostsPreviousAndNewCommitOnce() {
        CheckoutResult first = new CheckoutResult(
                "social.example",
                new Revision("1111111aaaaaaa", "v4.2.10"),
                new Revision("2222222bbbbbbb", "v4.3.1"),
                ChangedAreas.NONE,
                1200,
                "checked-out",
                null,
                0);
        action.recordCheckout(first.toMap());
        action.recordCheckout(first.toMap());

        assertThat(action.getHosts()).singleElement().satisfies(h -> {
            assertThat(h.getHost()).isEqualTo("social.example");
            assertThat(h.getTag()).isEqualTo("v4.3.1");
            assertThat(h.getPreviousCommit()).isEqualTo("1111111aaaaaaa");
            assertThat(h.getNewCommit()).isEqualTo("2222222bbbbbbb");
            assertThat(h.getStatus()).isEqualTo("checked-out");
        });
        assertThat(action.getReleaseTag()).isEqualTo("v4.3.1");
    }

    @Test
    void recordsServicesAndTheStreamingApproval() {
        ServiceOutcome web =
                new ServiceOutcome("mastodon-web", "web", ServiceAction.RELOAD, "reloaded", 100L, 100L, true, 900);
        ServiceOutcome streaming = new ServiceOutcome(
                "mastodon-streaming", "streaming", ServiceAction.RESTART, "restarted", 200L, 201L, true, 1500);
        StreamingOutcome approved = new StreamingOutcome(
                true,
                "--streaming always",
                true,
                "alice",
                Instant.parse("2026-11-23T12:00:00Z"),
                true,
                StreamingOutcome.RESTARTED,
                List.of(streaming));
        action.recordRestart(new RestartResult("social.example", List.of(web), approved, 2400, "done").toMap());

        assertThat(action.getServicesRestarted())
                .containsExactly(
                        "social.example: mastodon-web reload reloaded",
                        "social.example: mastodon-streaming restart restarted");
        assertThat(action.getApprovals()).containsExactly("social.example: streaming restart approved by alice");
    }

    @Test
    void recordsAStreamingRestartLeftPendingAndWhy() {
        StreamingOutcome pending = new StreamingOutcome(
                true, "--streaming always", false, null, null, false, StreamingOutcome.PENDING, List.of());
        action.recordRestart(new RestartResult("social.example", List.of(), pending, 10, "pending approval").toMap());

        assertThat(action.getServicesRestarted()).isEmpty();
        assertThat(action.getApprovals())
                .containsExactly("social.example: streaming restart pending approval (--streaming always)");
    }

    @Test
    void listsEachAuditTrailOnce() {
        action.recordAuditTrail(Workspaces.auditPath("social.example"));
        action.recordAuditTrail(Workspaces.auditPath("social.example"));
        action.recordAuditTrail(Workspaces.auditPath(null));

        assertThat(action.getAuditTrails())
                .containsExactly("flow-upgrade/audit-social.example.jsonl", "flow-upgrade/audit-release.jsonl");
        assertThat(Workspaces.auditFileName("2001:db8::1")).isEqualTo("audit-2001_db8__1.jsonl");
    }
}
