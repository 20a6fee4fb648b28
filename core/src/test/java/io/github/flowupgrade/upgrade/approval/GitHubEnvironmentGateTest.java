package io.github.flowupgrade.upgrade.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Failure;
import io.github.flowupgrade.testing.FakeGitHub.Review;
import io.github.flowupgrade.testing.HostileHttpServer;
import io.github.flowupgrade.testing.HostileHttpServer.Behaviour;
import io.github.flowupgrade.testing.RecordingAuditLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub environment gate against the loopback GitHub double serving a run's review log as GitHub's REST API does:
 * an approval of this environment in this run is proven with its reviewers, anything else refuses (exit 3) or fails
 * with what to do; the token never shows.
 */
class GitHubEnvironmentGateTest {
    private static final String REPOSITORY = "octo-org/mastodon-config";
    private static final long RUN = 4242;
    private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
    private static final String STREAMING = "mastodon-streaming";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final ApprovalRequest REQUEST = new ApprovalRequest(
            "social.example", "restart mastodon-streaming", "the release notes require it", List.of("v4.3.0"));

    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.start("mastodon/mastodon", List.of());
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @AfterEach
    void stop() {
        github.close();
    }

    private GitHubRun run(URI api) {
        return new GitHubRun(api, REPOSITORY, RUN, 1);
    }

    private GitHubEnvironmentGate gate(String environment) {
        return gate(run(github.apiUrl()), environment);
    }

    private GitHubEnvironmentGate gate(GitHubRun run, String environment) {
        return new GitHubEnvironmentGate(
                environment,
                run,
                GitHubEnvironmentGate.settings(run, TOKEN, "$FLOW_TOKEN", cache)
                        .withTimeout(Duration.ofSeconds(2), 3, Duration.ofMillis(10)),
                audit,
                CLOCK);
    }

    private void reviews(Review... reviews) {
        github.runReviews(REPOSITORY, RUN, List.of(reviews));
    }

    private AbstractThrowableAssert<?, ?> refused(GitHubEnvironmentGate gate, ExitCode code) {
        return assertThatThrownBy(gate::prove)
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(code))
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void anApprovalOfThisEnvironmentInThisRunNamesItsReviewerAndIsRecorded() {
        reviews(
                Review.approved("carol-ops", "", "mastodon-upgrade"),
                Review.approved("bob-reviewer", "Quiet hour, go", STREAMING));

        GitHubEnvironmentGate gate = gate(STREAMING);
        EnvironmentApproval approval = gate.prove();

        assertThat(approval.reviewers()).containsExactly("bob-reviewer");
        assertThat(approval.comments())
                .containsExactly(new EnvironmentApproval.Comment("bob-reviewer", "Quiet hour, go"));
        ApprovalGate.Answer answer = gate.ask(REQUEST);
        assertThat(answer).isInstanceOfSatisfying(ApprovalGate.Approved.class, approved -> {
            assertThat(approved.by()).isEqualTo("bob-reviewer");
            assertThat(approved.when()).isEqualTo(CLOCK.instant());
            assertThat(approved.proof())
                    .containsEntry("environment", STREAMING)
                    .containsEntry("repository", REPOSITORY)
                    .containsEntry("runId", RUN)
                    .containsEntry("runAttempt", 1)
                    .containsEntry("reviewers", List.of("bob-reviewer"))
                    .containsEntry(
                            "comments", List.of(Map.of("reviewer", "bob-reviewer", "comment", "Quiet hour, go")));
        });
        assertThat(github.paths())
                .as("read once, asked twice")
                .containsExactly("/repos/" + REPOSITORY + "/actions/runs/4242/approvals?per_page=100");
        assertThat(github.authorizations()).containsExactly("Bearer " + TOKEN);
        assertThat(audit.types()).containsExactly(AuditEvents.GITHUB_REQUEST, AuditEvents.APPROVAL_CHECKED);
        assertThat(audit.ofType(AuditEvents.APPROVAL_CHECKED).get(0).fields())
                .containsEntry("outcome", "approved")
                .containsEntry("environment", STREAMING)
                .containsEntry("reviewers", List.of("bob-reviewer"));
        assertThat(audit.events().toString()).doesNotContain(TOKEN);
    }

    @Test
    void everyPageIsReadAndARejectionOnTheLastPageRefusesTheRun() {
        github.maxPerPage(2);
        reviews(
                Review.approved("carol-ops", "", "production"),
                Review.approved("dave-ops", "", "staging"),
                // GitHub's environment names ignore case.
                Review.approved("bob-reviewer", "", "Mastodon-Streaming"),
                Review.approved("erin-ops", "", "production", STREAMING),
                Review.approved("frank-ops", "", "docs"));
        assertThat(gate(STREAMING).prove().reviewers()).containsExactly("bob-reviewer", "erin-ops");
        String path = "/repos/" + REPOSITORY + "/actions/runs/4242/approvals";
        assertThat(github.paths())
                .containsExactly(path + "?per_page=100", path + "?per_page=2&page=2", path + "?per_page=2&page=3");

        reviews(
                Review.approved("bob-reviewer", "", STREAMING),
                Review.approved("carol-ops", "", "production"),
                Review.approved("erin-ops", "", "staging"),
                Review.approved("frank-ops", "", "docs"),
                Review.rejected("dave-ops", "Not during the event", STREAMING));
        refused(gate(STREAMING), ExitCode.REFUSED)
                .hasMessageContaining("the GitHub environment mastodon-streaming was rejected in run 4242 attempt 1 of "
                        + REPOSITORY + " by dave-ops (dave-ops: \"Not during the event\")")
                .hasMessageContaining("start a new run");
        assertThat(audit.ofType(AuditEvents.APPROVAL_CHECKED).get(1).fields())
                .containsEntry("outcome", "rejected")
                .containsEntry("reviewers", List.of("dave-ops"));
    }

    @Test
    void noApprovalYetOrOnlyAnotherEnvironmentsIsARefusal() {
        reviews();
        refused(gate(STREAMING), ExitCode.REFUSED)
                .hasMessageContaining("mastodon-streaming was not approved in run 4242 attempt 1 of " + REPOSITORY)
                .hasMessageContaining("it has no approval of it yet")
                .hasMessageContaining("must target `environment: mastodon-streaming`");

        // A comment without a decision approves nothing.
        reviews(
                Review.approved("carol-ops", "", "mastodon-upgrade"),
                new Review("pending", "bob-reviewer", "Looking at it", List.of(STREAMING)));
        refused(gate(STREAMING), ExitCode.REFUSED)
                .hasMessageContaining("only other environments were approved in it: mastodon-upgrade");
        assertThat(audit.ofType(AuditEvents.APPROVAL_CHECKED))
                .extracting(e -> e.fields().get("outcome"))
                .containsExactly("not approved", "not approved");
    }

    @Test
    void aRateLimitIsANetworkFailureWithItsResetTimeAndNotRetried() {
        reviews(Review.approved("bob-reviewer", "", STREAMING));
        github.failNext(1, Failure.RATE_LIMITED);
        refused(gate(STREAMING), ExitCode.NETWORK)
                .hasMessageContaining("GitHub API rate limit exceeded (403, limit 5000 an hour)")
                .hasMessageContaining("the limit resets at ");
        github.failNext(1, Failure.TOO_MANY_REQUESTS);
        refused(gate(STREAMING), ExitCode.NETWORK)
                .hasMessageContaining("(429")
                .hasMessageContaining("retry after 120 s");
        assertThat(github.requests()).isEqualTo(2);
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        reviews(Review.approved("bob-reviewer", "", STREAMING));
        github.failNext(2, Failure.SERVER_ERROR);
        assertThat(gate(STREAMING).prove().reviewers()).containsExactly("bob-reviewer");
        assertThat(github.requests()).isEqualTo(3);

        github.failNext(3, Failure.BAD_GATEWAY);
        refused(gate(STREAMING), ExitCode.NETWORK)
                .hasMessageContaining("GitHub API failed with 502 for ")
                .hasMessageContaining("(3 tries)");
    }

    @Test
    void aTokenGitHubRejectsOrOneWithoutThePermissionIsBadInput() {
        reviews(Review.approved("bob-reviewer", "", STREAMING));
        github.validToken("ghs_another");
        refused(gate(STREAMING), ExitCode.BAD_INPUT)
                .hasMessageContaining(
                        "GitHub rejected the token from $FLOW_TOKEN (401 Bad credentials) for " + REPOSITORY)
                .hasMessageContaining("github.token");
        github.validToken(TOKEN);
        github.failNext(1, Failure.FORBIDDEN);
        refused(gate(STREAMING), ExitCode.BAD_INPUT)
                .hasMessageContaining("GitHub refused access (403)")
                .hasMessageContaining("Resource not accessible by integration")
                .hasMessageContaining("permissions: actions: read");
        refused(gate(new GitHubRun(github.apiUrl(), REPOSITORY, 4243, null), STREAMING), ExitCode.BAD_INPUT)
                .hasMessageContaining("GitHub has no workflow run 4243 in " + REPOSITORY);
    }

    @Test
    void aProxysPageOrAnotherOriginIsANetworkFailureAndTheTokenStaysHome() {
        reviews(Review.approved("bob-reviewer", "", STREAMING));
        github.failNext(1, Failure.HTML_PAGE);
        refused(gate(STREAMING), ExitCode.NETWORK)
                .hasMessageContaining("with something that is not the expected JSON")
                .hasMessageContaining("check GITHUB_API_URL");

        int before = github.requests();
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.REDIRECT)) {
            api.redirectTo(URI.create(github.apiUrl().toString().replace("127.0.0.1", "localhost")));
            refused(gate(run(api.url()), STREAMING), ExitCode.NETWORK).hasMessageContaining("to another origin");
            assertThat(api.authorizations()).containsExactly("Bearer " + TOKEN);
        }
        assertThat(github.requests())
                .as("requests that reached the other origin")
                .isEqualTo(before);
    }

    @Test
    void anUnchangedLogIsAnsweredFromTheEtagCache() {
        reviews(Review.approved("bob-reviewer", "", STREAMING));
        gate(STREAMING).prove();
        assertThat(gate(STREAMING).prove().reviewers()).containsExactly("bob-reviewer");
        assertThat(github.notModified()).isEqualTo(1);

        // A new review changes the answer: the cache never hides it.
        reviews(Review.approved("bob-reviewer", "", STREAMING), Review.rejected("dave-ops", "", STREAMING));
        refused(gate(STREAMING), ExitCode.REFUSED).hasMessageContaining("rejected");
        assertThat(github.notModified()).isEqualTo(1);
    }

    @Test
    void aLogThatNamesNoValidLoginIsNotWhatGitHubSends() {
        reviews(Review.approved("bob reviewer; rm -rf", "", STREAMING));
        refused(gate(STREAMING), ExitCode.NETWORK).hasMessageContaining("names no valid GitHub login");
        reviews(Review.approved("deploy-gate[bot]", "", STREAMING));
        assertThat(gate(STREAMING).prove().approvedBy()).isEqualTo("deploy-gate[bot]");
    }

    @Test
    void theRunComesFromTheRunnersVariablesAndBadOnesAreBadInput() {
        GitHubRun run = GitHubRun.fromEnvironment(Map.of(
                "GITHUB_API_URL", "https://ghe.example/api/v3/",
                "GITHUB_REPOSITORY", REPOSITORY,
                "GITHUB_RUN_ID", "4242",
                "GITHUB_RUN_ATTEMPT", "2"));
        assertThat(run).isEqualTo(new GitHubRun(URI.create("https://ghe.example/api/v3"), REPOSITORY, 4242, 2));
        assertThat(GitHubRun.fromEnvironment(Map.of("GITHUB_REPOSITORY", REPOSITORY, "GITHUB_RUN_ID", "7")))
                .isEqualTo(new GitHubRun(URI.create("https://api.github.com"), REPOSITORY, 7, null));

        List<Map<String, String>> bad = List.of(
                Map.of(),
                Map.of("GITHUB_REPOSITORY", REPOSITORY),
                Map.of("GITHUB_REPOSITORY", REPOSITORY, "GITHUB_RUN_ID", "42; id"),
                Map.of("GITHUB_REPOSITORY", "octo-org/../etc", "GITHUB_RUN_ID", "42"),
                Map.of("GITHUB_REPOSITORY", REPOSITORY, "GITHUB_RUN_ID", "42", "GITHUB_RUN_ATTEMPT", "x"),
                Map.of("GITHUB_REPOSITORY", REPOSITORY, "GITHUB_RUN_ID", "42", "GITHUB_API_URL", "ftp://x"),
                Map.of(
                        "GITHUB_REPOSITORY",
                        REPOSITORY,
                        "GITHUB_RUN_ID",
                        "42",
                        "GITHUB_API_URL",
                        "https://user:pw@ghe.example"));
        for (Map<String, String> env : bad) {
            assertThatThrownBy(() -> GitHubRun.fromEnvironment(env))
                    .as(env.toString())
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        }
        assertThatThrownBy(() -> GitHubEnvironmentGate.settings(run(github.apiUrl()), null, null, null))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("needs a token");
        GitHubRun far = new GitHubRun(URI.create("http://ghe.example"), REPOSITORY, RUN, null);
        assertThatThrownBy(() -> GitHubEnvironmentGate.settings(far, TOKEN, null, null))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("refusing to send the GitHub token over plain http to ghe.example")
                .hasMessageNotContaining(TOKEN);
        for (String name : new String[] {"", "  ", "prod\nforged", "x".repeat(256)}) {
            assertThatThrownBy(() -> GitHubEnvironmentGate.checkEnvironment(name))
                    .isInstanceOf(FlowException.class)
                    .hasMessageContaining("approval-environment");
        }
        assertThat(github.requests()).isZero();
    }
}
