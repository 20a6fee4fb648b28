package io.github.flowupgrade.action;

import static io.github.flowupgrade.action.ActionTesting.JOB_TOKEN;
import static io.github.flowupgrade.action.ActionTesting.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Failure;
import io.github.flowupgrade.testing.FakeGitHub.Review;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's restart-streaming with approval-environment, the whole composite run against the loopback GitHub
 * double serving the run's approvals as GitHub does: the action passes the environment to flow
 * ({@code --approval-environment}) with the job's token in a variable, and flow proves the approval itself. An approval
 * of the environment in this run names its reviewer; a rejection (also on a later page), no approval, or another
 * environment's approval refuse (exit 3) before any host; API failures end with flow's exit code and message. Each
 * case is a dry run, so an approved restart only prints what it would run.
 */
class ApprovalsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVALS = "/repos/" + REPOSITORY + "/actions/runs/4242/approvals";

    @TempDir
    Path tmp;

    private FakeGitHub github;

    @BeforeEach
    void serve() {
        github = FakeGitHub.start("mastodon/mastodon", List.of());
        github.validToken(JOB_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private void reviews(Review... reviews) {
        github.runReviews(REPOSITORY, 4242, List.of(reviews));
    }

    private CompositeAction.Run restart(String... more) throws Exception {
        return restartWithApi(github.apiUrl().toString(), more);
    }

    private CompositeAction.Run restartWithApi(String apiUrl, String... more) throws Exception {
        Map<String, String> with = ActionTesting.with(
                "command", "restart-streaming",
                "approval-environment", "mastodon-streaming",
                "hosts", "social.example.invalid",
                "dry-run", "true",
                "flow-jar", ActionTesting.flowJar().toString());
        with.putAll(ActionTesting.with(more));
        CompositeAction.Run run = ActionTesting.action()
                .run(
                        with,
                        ActionTesting.runner(
                                tmp,
                                ActionTesting.github(apiUrl),
                                Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString())));
        assertThat(run.printed()).as("the job token in the log").doesNotContain(JOB_TOKEN);
        assertThat(run.masks()).contains(with.getOrDefault("github-token", JOB_TOKEN));
        assertThat(run.output("exit-code")).isEqualTo(Integer.toString(run.exitCode()));
        return run;
    }

    @Test
    void flowProvesTheEnvironmentsApprovalAndNamesItsReviewer() throws Exception {
        reviews(
                Review.approved("carol-ops", "", "mastodon-upgrade"),
                Review.approved("bob-reviewer", "Go ahead", "mastodon-streaming"));

        CompositeAction.Run run = restart();

        assertThat(run.exitCode()).as(run.printed()).isZero();
        // The action names the environment and the token's variable; it decides nothing itself.
        assertThat(run.printed())
                .contains("--approval-environment mastodon-streaming")
                .contains("--token-env FLOW_ACTION_GITHUB_TOKEN")
                .doesNotContain("--approved-by")
                .containsSubsequence(
                        "GitHub environment mastodon-streaming approved in run 4242 attempt 1 of " + REPOSITORY
                                + " by bob-reviewer",
                        "streaming restart approved by bob-reviewer",
                        "would run: sudo -n systemctl restart mastodon-streaming");
        assertThat(run.output("approved-by")).isEqualTo("bob-reviewer");
        JsonNode result = JSON.readTree(run.output("result"));
        assertThat(result.path("exitCode").asInt()).isZero();
        assertThat(result.path("hosts")
                        .get(0)
                        .path("streaming")
                        .path("approvedBy")
                        .asText())
                .isEqualTo("bob-reviewer");
        assertThat(run.summary())
                .contains("Streaming restart approved by bob-reviewer (environment mastodon-streaming)");
        assertThat(github.paths()).containsExactly(APPROVALS + "?per_page=100");
        assertThat(github.authorizations()).containsExactly("Bearer " + JOB_TOKEN);
    }

    @Test
    void aRejectionOnALaterPageNoApprovalOrAnotherEnvironmentsRefuseBeforeAnyHost() throws Exception {
        github.maxPerPage(2);
        List<Review[]> refusals = List.of(
                new Review[] {
                    Review.approved("bob-reviewer", "", "mastodon-streaming"),
                    Review.approved("carol-ops", "", "production"),
                    Review.rejected("dave-ops", "Not during the event", "Mastodon-Streaming")
                },
                new Review[0],
                new Review[] {Review.approved("carol-ops", "", "mastodon-upgrade")});
        List<String> why = List.of(
                "the GitHub environment mastodon-streaming was rejected in run 4242 attempt 1 of " + REPOSITORY
                        + " by dave-ops (dave-ops: \"Not during the event\")",
                "the GitHub environment mastodon-streaming was not approved in run 4242 attempt 1 of " + REPOSITORY
                        + " (it has no approval of it yet)",
                "(only other environments were approved in it: mastodon-upgrade)");
        for (int i = 0; i < refusals.size(); i++) {
            reviews(refusals.get(i));
            CompositeAction.Run refused = restart();

            assertThat(refused.exitCode()).as(refused.printed()).isEqualTo(3);
            assertThat(refused.printed()).contains(why.get(i)).doesNotContain("would run");
            assertThat(refused.output("approved-by")).isEmpty();
            JsonNode result = JSON.readTree(refused.output("result"));
            assertThat(result.path("exitCode").asInt()).isEqualTo(3);
            assertThat(result.path("error").asText()).contains(why.get(i));
            assertThat(refused.commands())
                    .anySatisfy(c -> assertThat(c.name() + " " + c.value()).startsWith("error the GitHub environment"));
        }
        assertThat(github.paths())
                .as("the rejection was on page 2 of 2")
                .startsWith(APPROVALS + "?per_page=100", APPROVALS + "?per_page=2&page=2");
    }

    @Test
    void anApiThatFailsEndsWithFlowsExitCodeAndMessage() throws Exception {
        reviews(Review.approved("bob-reviewer", "", "mastodon-streaming"));
        github.failNext(3, Failure.BAD_GATEWAY);
        CompositeAction.Run failing = restart();
        assertThat(failing.exitCode()).as(failing.printed()).isEqualTo(5);
        assertThat(failing.printed())
                .contains("GitHub API failed with 502 for ")
                .contains("(3 tries)");

        github.failNext(1, Failure.RATE_LIMITED);
        CompositeAction.Run limited = restart();
        assertThat(limited.exitCode()).as(limited.printed()).isEqualTo(5);
        assertThat(limited.printed())
                .contains("GitHub API rate limit exceeded (403")
                .contains("the limit resets at ");

        github.failNext(1, Failure.HTML_PAGE);
        CompositeAction.Run html = restart();
        assertThat(html.exitCode()).as(html.printed()).isEqualTo(5);
        assertThat(html.printed()).contains("with something that is not the expected JSON");

        String wrong = "ghs_WrongWrongWrongWrongWrongWrongWrong0";
        CompositeAction.Run rejected = restart("github-token", wrong);
        assertThat(rejected.exitCode()).as(rejected.printed()).isEqualTo(2);
        assertThat(rejected.printed())
                .contains("GitHub rejected the token from $FLOW_ACTION_GITHUB_TOKEN (401 Bad credentials)")
                .doesNotContain(wrong);
        assertThat(rejected.masks()).contains(wrong);

        github.failNext(1, Failure.FORBIDDEN);
        CompositeAction.Run forbidden = restart();
        assertThat(forbidden.exitCode()).as(forbidden.printed()).isEqualTo(2);
        assertThat(forbidden.printed()).contains("permissions: actions: read");
        for (CompositeAction.Run run : List.of(failing, limited, html, rejected, forbidden)) {
            assertThat(run.printed()).doesNotContain("would run");
        }
    }

    @Test
    void anotherRunOrAPlainHttpApiElsewhereIsBadInput() throws Exception {
        Map<String, String> otherRun = ActionTesting.github(github.apiUrl().toString());
        otherRun.put("run_id", "4243");
        reviews(Review.approved("bob-reviewer", "", "mastodon-streaming"));
        CompositeAction.Run wrongRun = ActionTesting.action()
                .run(
                        ActionTesting.with(
                                "command", "restart-streaming",
                                "approval-environment", "mastodon-streaming",
                                "hosts", "social.example.invalid",
                                "dry-run", "true",
                                "flow-jar", ActionTesting.flowJar().toString()),
                        ActionTesting.runner(tmp, otherRun, Map.of()));
        assertThat(wrongRun.exitCode()).as(wrongRun.printed()).isEqualTo(2);
        assertThat(wrongRun.printed()).contains("GitHub has no workflow run 4243 in " + REPOSITORY);

        int before = github.requests();
        CompositeAction.Run plain = restartWithApi("http://api.github.example.invalid");
        assertThat(plain.exitCode()).as(plain.printed()).isEqualTo(2);
        assertThat(plain.printed())
                .contains("refusing to send the GitHub token over plain http to api.github.example.invalid");
        assertThat(github.requests()).isEqualTo(before);
    }

    @Test
    void anUpgradeWithTheGateLooksReleasesUpOnlyOnTheJobsOwnApi() throws Exception {
        CompositeAction.Run run = ActionTesting.action()
                .run(
                        ActionTesting.with(
                                "command", "upgrade",
                                "tag", "v4.3.1",
                                "from", "v4.2.0",
                                "approval-environment", "mastodon-streaming",
                                "hosts", "social.example.invalid",
                                "dry-run", "true",
                                "extra-args", "--api-url\nhttps://api.github.com",
                                "flow-jar", ActionTesting.flowJar().toString()),
                        ActionTesting.runner(
                                tmp, ActionTesting.github(github.apiUrl().toString()), Map.of()));
        assertThat(run.exitCode()).as(run.printed()).isEqualTo(2);
        assertThat(run.printed())
                .contains("approval-environment with upgrade needs the release lookup on the job's own GitHub API");
        assertThat(github.requests()).isZero();
    }
}
