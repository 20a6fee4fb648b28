package io.github.flowupgrade.action;

import static io.github.flowupgrade.action.ActionTesting.JOB_TOKEN;
import static io.github.flowupgrade.action.ActionTesting.REPOSITORY;
import static io.github.flowupgrade.action.ActionTesting.RUN_ID;
import static io.github.flowupgrade.action.GitHubApprovalsDouble.review;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.action.GitHubApprovalsDouble.Failure;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's restart-streaming reading the run's approvals from the GitHub API double as GitHub serves them: pages,
 * server errors, both rate limits, a token GitHub rejects or that lacks the permission, a proxy's HTML, a redirect to
 * another origin. Each case runs the whole composite action (dry run, so an approved restart only prints what it
 * would run); a refusal or an API failure ends it before flow starts.
 */
class ApprovalsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVALS_PATH =
            "/repos/" + REPOSITORY + "/actions/runs/" + RUN_ID + "/approvals?per_page=100";

    @TempDir
    Path tmp;

    private GitHubApprovalsDouble github;

    @BeforeEach
    void serve() {
        github = GitHubApprovalsDouble.start(REPOSITORY, RUN_ID, JOB_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private CompositeAction.Run restart(String... more) throws Exception {
        return restartWithApi(github.apiUrl(), more);
    }

    private CompositeAction.Run restartWithApi(String apiUrl, String... more) throws Exception {
        Map<String, String> with = ActionTesting.with(
                "command", "restart-streaming",
                "approval-environment", "mastodon-streaming",
                "hosts", "social.example.invalid",
                "dry-run", "true",
                "flow-jar", ActionTesting.flowJar().toString());
        with.putAll(ActionTesting.with(more));
        CompositeAction.Run run =
                ActionTesting.action().run(with, ActionTesting.runner(tmp, ActionTesting.github(apiUrl), Map.of()));
        assertThat(run.printed()).as("the job token in the log").doesNotContain(JOB_TOKEN);
        assertThat(run.output("exit-code")).isEqualTo(Integer.toString(run.exitCode()));
        return run;
    }

    @Test
    void anApprovalOfTheEnvironmentInThisRunNamesItsReviewerToFlow() throws Exception {
        github.reviews(List.of(review("approved", "bob-reviewer", "Go ahead", "mastodon-streaming")));

        CompositeAction.Run run = restart();

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.output("approved-by")).isEqualTo("bob-reviewer");
        String approvedBy = "bob-reviewer (GitHub environment mastodon-streaming, run 4242 attempt 1)";
        assertThat(run.printed())
                .contains("streaming restart approved by " + approvedBy)
                .contains("would run: sudo -n systemctl restart mastodon-streaming");
        JsonNode host = JSON.readTree(run.output("result")).get(0);
        assertThat(host.path("streaming").path("approvedBy").asText()).isEqualTo(approvedBy);
        assertThat(github.requests()).singleElement().satisfies(request -> {
            assertThat(request.pathAndQuery()).isEqualTo(APPROVALS_PATH);
            assertThat(request.authorization()).isEqualTo("Bearer " + JOB_TOKEN);
        });
        assertThat(run.masks()).contains(JOB_TOKEN);
    }

    @Test
    void everyPageIsReadAndARejectionOnALaterPageStandsForTheRun() throws Exception {
        // GitHub's environment names ignore case.
        github.pageSize(2)
                .reviews(List.of(
                        review("approved", "carol-ops", "", "production"),
                        review("approved", "dave-ops", "", "staging"),
                        review("approved", "bob-reviewer", "", "Mastodon-Streaming"),
                        review("approved", "erin-ops", "", "production", "mastodon-streaming"),
                        review("approved", "frank-ops", "", "docs")));
        CompositeAction.Run approved = restart();
        assertThat(approved.exitCode()).as(approved.printed()).isZero();
        assertThat(approved.output("approved-by")).isEqualTo("bob-reviewer, erin-ops");
        assertThat(github.requests())
                .extracting(GitHubApprovalsDouble.Request::pathAndQuery)
                .containsExactly(
                        APPROVALS_PATH,
                        "/repos/" + REPOSITORY + "/actions/runs/" + RUN_ID + "/approvals?per_page=2&page=2",
                        "/repos/" + REPOSITORY + "/actions/runs/" + RUN_ID + "/approvals?per_page=2&page=3");
        assertThat(github.requests())
                .extracting(GitHubApprovalsDouble.Request::authorization)
                .containsOnly("Bearer " + JOB_TOKEN);

        github.reviews(List.of(
                review("approved", "bob-reviewer", "", "mastodon-streaming"),
                review("approved", "carol-ops", "", "production"),
                review("rejected", "dave-ops", "Not during the event", "mastodon-streaming")));
        CompositeAction.Run rejected = restart();
        assertThat(rejected.exitCode()).as(rejected.printed()).isEqualTo(3);
        assertThat(rejected.printed())
                .contains("the GitHub environment mastodon-streaming was rejected in run 4242 by dave-ops")
                .doesNotContain("would run");
    }

    @Test
    void serverErrorsAreRetriedThreeTimesThenReported() throws Exception {
        github.reviews(List.of(review("approved", "bob-reviewer", "", "mastodon-streaming")))
                .failNext(2, Failure.SERVER_ERROR);
        CompositeAction.Run recovered = restart();
        assertThat(recovered.exitCode()).as(recovered.printed()).isZero();
        assertThat(github.requests()).hasSize(3);

        github.failNext(3, Failure.SERVER_ERROR);
        CompositeAction.Run failed = restart();
        assertThat(failed.exitCode()).as(failed.printed()).isEqualTo(5);
        assertThat(failed.printed())
                .contains("GitHub API failed with 502 for " + APPROVALS_PATH + " (3 tries)")
                .doesNotContain("would run");
        assertThat(failed.commands())
                .anySatisfy(c -> assertThat(c.name() + " " + c.value()).startsWith("error GitHub API failed"));
    }

    @Test
    void aShortRateLimitIsWaitedOutAndALongOneReportedWithItsResetTime() throws Exception {
        github.reviews(List.of(review("approved", "bob-reviewer", "", "mastodon-streaming")))
                .failNext(1, Failure.RATE_LIMIT_RESET_IN_2_S)
                .failNext(1, Failure.RETRY_AFTER_1_S);
        CompositeAction.Run waited = restart();
        assertThat(waited.exitCode()).as(waited.printed()).isZero();
        List<GitHubApprovalsDouble.Request> requests = github.requests();
        assertThat(requests).hasSize(3);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .as("waited for the primary limit's reset")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Duration.between(requests.get(1).at(), requests.get(2).at()))
                .as("waited for Retry-After")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));

        github.failNext(1, Failure.RATE_LIMIT_RESET_IN_AN_HOUR);
        long started = System.nanoTime();
        CompositeAction.Run limited = restart();
        assertThat(limited.exitCode()).as(limited.printed()).isEqualTo(5);
        assertThat(limited.printed())
                .containsPattern("GitHub API rate limit exceeded \\(403\\) for \\S+: it resets at"
                        + " 20\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in 36\\d\\d s\\)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        assertThat(github.requests()).hasSize(4);
    }

    @Test
    void aTokenGitHubRejectsOrThatLacksThePermissionIsBadInput() throws Exception {
        github.reviews(List.of(review("approved", "bob-reviewer", "", "mastodon-streaming")));
        String wrong = "ghs_WrongWrongWrongWrongWrongWrongWrong0";
        CompositeAction.Run rejected = restart("github-token", wrong);
        assertThat(rejected.exitCode()).as(rejected.printed()).isEqualTo(2);
        assertThat(rejected.printed())
                .contains("GitHub rejected the token (401)")
                .doesNotContain(wrong);
        assertThat(rejected.masks()).contains(wrong);

        github.failNext(1, Failure.FORBIDDEN);
        CompositeAction.Run forbidden = restart();
        assertThat(forbidden.exitCode()).as(forbidden.printed()).isEqualTo(2);
        assertThat(forbidden.printed())
                .contains("403: Resource not accessible by integration")
                .contains("permissions: actions: read");
    }

    @Test
    void aProxysPageOrARedirectToAnotherOriginIsANetworkFailureAndTheTokenStaysHome() throws Exception {
        github.failNext(1, Failure.HTML);
        CompositeAction.Run html = restart();
        assertThat(html.exitCode()).as(html.printed()).isEqualTo(5);
        assertThat(html.printed()).contains("not the expected JSON list");

        try (GitHubApprovalsDouble other = GitHubApprovalsDouble.start(REPOSITORY, RUN_ID, JOB_TOKEN)) {
            github.elsewhere(URI.create(other.apiUrl().replace("127.0.0.1", "localhost")))
                    .failNext(1, Failure.REDIRECT_ELSEWHERE);
            CompositeAction.Run redirected = restart();
            assertThat(redirected.exitCode()).as(redirected.printed()).isEqualTo(5);
            assertThat(redirected.printed()).contains("sent the approvals to another origin");
            assertThat(other.requests())
                    .as("requests that reached the other origin")
                    .isEmpty();
        }
    }

    @Test
    void anotherRunOrAPlainHttpApiElsewhereIsRefusedBeforeAnyTokenIsSent() throws Exception {
        CompositeAction.Run wrongRun = ActionTesting.action()
                .run(
                        ActionTesting.with(
                                "command", "restart-streaming",
                                "approval-environment", "mastodon-streaming",
                                "hosts", "social.example.invalid",
                                "dry-run", "true",
                                "flow-jar", ActionTesting.flowJar().toString()),
                        ActionTesting.runner(tmp, withRun(ActionTesting.github(github.apiUrl()), "4243"), Map.of()));
        assertThat(wrongRun.exitCode()).as(wrongRun.printed()).isEqualTo(2);
        assertThat(wrongRun.printed()).contains("(404: Not Found)");

        int before = github.requests().size();
        CompositeAction.Run plain = restartWithApi("http://api.github.example.invalid");
        assertThat(plain.exitCode()).as(plain.printed()).isEqualTo(2);
        assertThat(plain.printed())
                .contains("refusing to send the token over plain http to api.github.example.invalid");
        assertThat(github.requests()).hasSize(before);
    }

    private static Map<String, String> withRun(Map<String, String> github, String runId) {
        github.put("run_id", runId);
        return github;
    }
}
