package io.github.flowupgrade.upgrade.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfiles;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.remote.DryRunTransport;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade tasks of a real release range from the GitHub API fixture, as a dry run: what would run, and in what. */
class RunUpgradeTasksTest {
    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @AfterEach
    void stop() {
        github.close();
    }

    private RunUpgradeTasksRequest request(Phase phase, boolean confirmManual) {
        ReleaseLookupRequest lookup = ReleaseLookupRequest.of(AppProfiles.resolve("mastodon"), "v4.6.1")
                .withApi(github.apiUrl(), cache)
                .withFrom("v4.5.10");
        return new RunUpgradeTasksRequest(
                lookup,
                phase,
                confirmManual,
                "social.example",
                "mastodon",
                RunAs.of("direct", "mastodon"),
                "/home/mastodon/live",
                "tester@ci",
                "https://ci/job/upgrade/3/",
                Duration.ofSeconds(60),
                Duration.ofSeconds(600),
                false,
                null);
    }

    private RunUpgradeTasksResult dryRun(RunUpgradeTasksRequest request) {
        return RunUpgradeTasks.run(
                host -> new DryRunTransport(host, Console.silent()),
                request,
                new NoApprovalGate(),
                audit,
                Console.silent(),
                Clock.systemUTC());
    }

    @Test
    void plansTheAfterCheckoutTasksOfTheRangeUnderTheUpgradeLock() {
        RunUpgradeTasksResult result = dryRun(request(Phase.AFTER_CHECKOUT, true));

        assertThat(result.toMap())
                .containsEntry("host", "social.example")
                .containsEntry("tag", "v4.6.1")
                .containsEntry("from", "v4.5.10")
                .containsEntry("phase", "after-checkout")
                .containsEntry("status", "planned")
                .containsKeys("releases", "requirements", "tasks", "manual", "streamingRestart");
        assertThat(result.releases()).last().isEqualTo("v4.6.1");
        assertThat(result.tasks()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.phase()).isEqualTo("after-checkout");
            assertThat(t.status()).isEqualTo("planned");
            assertThat(t.hop()).isEqualTo("v4.6.1");
        });
        assertThat(result.requirements())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.met()).isTrue());
        List<String> types = audit.types();
        assertThat(types)
                .containsSubsequence(AuditEvents.LOCK_ACQUIRED, AuditEvents.TASK_STARTED, AuditEvents.TASK_COMPLETED);
        assertThat(audit.ofType(AuditEvents.LOCK_ACQUIRED).get(0).fields().get("lock"))
                .isEqualTo("/home/mastodon/.flow-upgrade/lock");
        assertThat((String)
                        audit.ofType(AuditEvents.LOCK_ACQUIRED).get(0).fields().get("holder"))
                .contains("tester@ci")
                .contains("upgrade tasks v4.6.1")
                .contains("https://ci/job/upgrade/3/");
    }

    @Test
    void afterRestartRunsOnlyThatPhaseAndChecksNoRequirements() {
        RunUpgradeTasksResult result = dryRun(request(Phase.AFTER_RESTART, false));

        assertThat(result.phase()).isEqualTo("after-restart");
        assertThat(result.requirements()).isEmpty();
        assertThat(result.tasks()).allSatisfy(t -> assertThat(t.phase()).isEqualTo("after-restart"));
        assertThat(audit.types()).doesNotContain(AuditEvents.MANUAL_CONFIRMED);
    }

    @Test
    void onlyAfterCheckoutAndAfterRestartAreTaskPhases() {
        assertThat(RunUpgradeTasksRequest.phase("after-checkout")).isEqualTo(Phase.AFTER_CHECKOUT);
        assertThat(RunUpgradeTasksRequest.phase("after-restart")).isEqualTo(Phase.AFTER_RESTART);
        assertThatThrownBy(() -> RunUpgradeTasksRequest.phase("before-checkout"))
                .isInstanceOf(FlowException.class)
                .hasMessage("phase must be after-checkout or after-restart, not before-checkout")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        assertThatThrownBy(() -> request(Phase.BEFORE_CHECKOUT, true))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("after-checkout or after-restart");
    }
}
