package io.github.flowupgrade.upgrade.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.remote.DryRunTransport;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Review;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.upgrade.approval.GitHubEnvironmentGate;
import io.github.flowupgrade.upgrade.approval.GitHubRun;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A streaming restart approved through a GitHub environment records the proof with the approval: the environment, the
 * run and its attempt, the reviewers and their comments, beside {@code by} and {@code when} (a dry run, so nothing is
 * sent to a host).
 */
class EnvironmentApprovedRestartTest {
    @Test
    void theApprovalInTheTrailCarriesTheEnvironmentTheRunAndTheReviewers() {
        RecordingAuditLog audit = new RecordingAuditLog();
        try (FakeGitHub github = FakeGitHub.start("mastodon/mastodon", List.of())) {
            github.runReviews(
                    "octo-org/mastodon-config",
                    4242,
                    List.of(Review.approved("bob-reviewer", "Quiet hour, go", "mastodon-streaming")));
            GitHubRun run = new GitHubRun(github.apiUrl(), "octo-org/mastodon-config", 4242, 2);
            GitHubEnvironmentGate gate = new GitHubEnvironmentGate(
                    "mastodon-streaming",
                    run,
                    GitHubEnvironmentGate.settings(run, "ghs_token0123456789", "$T", null),
                    audit,
                    Clock.systemUTC());
            // As the front ends do: proven before any host is reached.
            gate.prove();
            RestartRequest request = new RestartRequest(
                    AppProfile.mastodon(),
                    List.of(),
                    StreamingPolicy.ALWAYS,
                    null,
                    List.of(),
                    null,
                    RestartTimeouts.defaults());
            HostAccess access = new HostAccess(
                    new DryRunTransport("social.example", Console.silent()),
                    "mastodon",
                    RunAs.of("direct", "mastodon"),
                    "/home/mastodon/live");

            RestartResult result = Restart.run(
                    access,
                    request,
                    new Restart.Locking.Own("alice (GitHub Actions)", null, false, Clock.systemUTC()),
                    gate,
                    audit,
                    Console.silent());

            assertThat(result.streaming().approvedBy()).isEqualTo("bob-reviewer");
            assertThat(result.streaming().status()).isEqualTo(StreamingOutcome.PLANNED);
        }
        assertThat(audit.types())
                .containsSubsequence(
                        AuditEvents.GITHUB_REQUEST,
                        AuditEvents.APPROVAL_CHECKED,
                        AuditEvents.APPROVAL_REQUESTED,
                        AuditEvents.APPROVAL_GRANTED);
        assertThat(audit.ofType(AuditEvents.APPROVAL_GRANTED))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("host", "social.example")
                        .containsEntry("by", "bob-reviewer")
                        .containsEntry("environment", "mastodon-streaming")
                        .containsEntry("repository", "octo-org/mastodon-config")
                        .containsEntry("runId", 4242L)
                        .containsEntry("runAttempt", 2)
                        .containsEntry("reviewers", List.of("bob-reviewer"))
                        .containsEntry(
                                "comments", List.of(Map.of("reviewer", "bob-reviewer", "comment", "Quiet hour, go")))
                        .containsKey("when"));
    }
}
