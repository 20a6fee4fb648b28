package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditVerification;
import io.github.flowupgrade.audit.AuditVerifier;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Failure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flow fetch-release} against the GitHub API fixture, in-process. */
class FetchReleaseCommandTest {
    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.mastodon();

    @AfterEach
    void stop() {
        github.close();
    }

    record Run(int code, String out, String err) {}

    private Run flow(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "fetch-release",
                "--app",
                "mastodon",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                cache.toString(),
                "--timeout",
                "2"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                FlowCommand.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void jsonIsTheContractObject() throws Exception {
        Run r = flow("--tag", "v4.7.2", "--from", "v4.5.0", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.fieldNames())
                .toIterable()
                .contains(
                        "tag",
                        "name",
                        "url",
                        "publishedAt",
                        "commit",
                        "from",
                        "releases",
                        "majorOrMinorJump",
                        "hops",
                        "hopPlans",
                        "apiRequests",
                        "rateLimitRemaining",
                        "plan");
        assertThat(json.get("tag").asText()).isEqualTo("v4.7.2");
        assertThat(json.get("commit").isNull()).isTrue();
        assertThat(json.get("from").asText()).isEqualTo("v4.5.0");
        assertThat(json.get("releases")).hasSize(30);
        assertThat(json.get("releases").get(0).asText()).isEqualTo("v4.5.1");
        assertThat(json.get("majorOrMinorJump").asBoolean()).isTrue();
        assertThat(json.get("hops").toString()).isEqualTo("[\"v4.6.6\",\"v4.7.2\"]");
        assertThat(json.get("hopPlans").get(0).get("tag").asText()).isEqualTo("v4.6.6");
        assertThat(json.get("apiRequests").asInt()).isLessThanOrEqualTo(2);
        assertThat(json.get("rateLimitRemaining").asInt())
                .isEqualTo(60 - json.get("apiRequests").asInt());
        JsonNode plan = json.get("plan");
        for (String flag : List.of(
                "streamingRestart",
                "preDeploymentMigrations",
                "postDeploymentMigrations",
                "bundleInstall",
                "yarnInstall",
                "assetsPrecompile")) {
            assertThat(plan.get(flag).isBoolean()).as(flag).isTrue();
        }
        assertThat(plan.get("requirements").fieldNames())
                .toIterable()
                .containsExactly("ruby", "nodejs", "postgresql", "redis");
        assertThat(plan.get("tasks").get(0).fieldNames()).toIterable().containsExactly("phase", "command", "releases");
        assertThat(plan.get("manual").get(0).get("release").isTextual()).isTrue();
        assertThat(plan.get("manual").get(0).get("text").isTextual()).isTrue();

        Run again = flow("--tag", "v4.7.2", "--from", "v4.5.0", "--json");
        JsonNode second = new ObjectMapper().readTree(again.out());
        assertThat(second.get("rateLimitRemaining")).isEqualTo(json.get("rateLimitRemaining"));
        assertThat(second.get("plan")).isEqualTo(plan);
        assertThat(github.notModified()).isEqualTo(second.get("apiRequests").asInt());
    }

    @Test
    void summaryIsReadable() {
        Run r = flow("--tag", "v4.6.3", "--from", "v4.5.10");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Release v4.6.3")
                .contains("https://github.com/mastodon/mastodon/releases/tag/v4.6.3")
                .contains("From v4.5.10: 14 release(s)")
                .contains("Hops: v4.6.3")
                .contains("after-checkout:")
                .contains("bundle exec rails assets:precompile")
                .contains("after-restart:")
                .contains("back up the database first")
                .contains("For a human")
                .contains("FFmpeg")
                .contains("GitHub: 1 request(s)");
        assertThat(r.err()).contains("warning: the notes of v4.6.0, v4.6.1 have no update steps");
    }

    @Test
    void withoutAppTheMastodonProfileIsUsed() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                new String[] {
                    "fetch-release",
                    "--api-url",
                    github.apiUrl().toString(),
                    "--cache-dir",
                    cache.toString(),
                    "--tag",
                    "v4.7.2",
                    "--from",
                    "v4.7.0",
                    "--json"
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("url").asText()).startsWith("https://github.com/mastodon/mastodon/");
        assertThat(json.get("releases").toString()).isEqualTo("[\"v4.7.1\",\"v4.7.2\"]");
    }

    @Test
    void latestPicksTheNewestVersion() throws Exception {
        Run r = flow("--latest", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("tag").asText()).isEqualTo("v4.7.4");
    }

    @Test
    void badTokenExitsTwoWithoutShowingIt() {
        github.validToken("the-right-one");
        Run r = flow("--tag", "v4.5.2", "--token-env", "PATH");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("401").contains("$PATH");
        assertThat(r.out() + r.err()).doesNotContain(System.getenv("PATH"));
    }

    @Test
    void unsetTokenVariableExitsTwo() {
        Run r = flow("--tag", "v4.5.2", "--token-env", "FLOW_TEST_SURELY_UNSET_VARIABLE");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("FLOW_TEST_SURELY_UNSET_VARIABLE").contains("not set");
    }

    // Issue 16, item 8: a repository that would move the API path is refused before any request.
    @Test
    void aRepositoryOfDotsIsRefusedBeforeAnyRequest() {
        for (String repo : List.of("mastodon/..", "mastodon/.", "mastodon/%2e%2e")) {
            Run r = flow("--tag", "v4.5.2", "--repo", repo);
            assertThat(r.code()).as(repo).isEqualTo(2);
            assertThat(r.err()).as(repo).startsWith("flow: not a GitHub repository: \"" + repo + "\"");
        }
        assertThat(github.requests()).isZero();
    }

    @Test
    void unknownTagExitsTwoWithNearestTags() {
        Run r = flow("--tag", "v4.6.9");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no published release v4.6.9").contains("v4.6.6");
    }

    @Test
    void downgradeExitsThree() {
        Run r = flow("--tag", "v4.5.2", "--from", "v4.6.0");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("refusing to downgrade").contains("--allow-downgrade");
        assertThat(flow("--tag", "v4.5.2", "--from", "v4.6.0", "--allow-downgrade")
                        .code())
                .isZero();
    }

    @Test
    void networkFailuresExitFive() {
        github.fail(Failure.RATE_LIMITED);
        Run limited = flow("--tag", "v4.5.2");
        assertThat(limited.code()).isEqualTo(5);
        assertThat(limited.err()).contains("rate limit exceeded").contains("resets at");

        github.fail(Failure.TOO_MANY_REQUESTS);
        assertThat(flow("--tag", "v4.5.2").err()).contains("retry after 120 s");

        github.fail(Failure.MALFORMED_JSON);
        assertThat(flow("--latest").code()).isEqualTo(5);
    }

    @Test
    void tagAndLatestAreExclusiveAndOneIsRequired() {
        assertThat(flow("--tag", "v4.5.2", "--latest").code()).isEqualTo(2);
        Run neither = flow();
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("--tag").contains("--latest");
        assertThat(flow("--tag", "4.5.2;reboot").code()).isEqualTo(2);
    }

    @Test
    void auditLogRecordsTheRequestsAndTheResolvedRelease() throws Exception {
        Path trail = cache.resolve("fetch.jsonl");
        Run r = flow("--tag", "v4.5.2", "--from", "v4.5.0", "--audit-log", trail.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("audit trail: " + trail);
        assertThat(AuditVerifier.verify(trail)).isInstanceOf(AuditVerification.Intact.class);
        List<String> types =
                AuditEvent.readAll(trail).stream().map(AuditEvent::type).toList();
        assertThat(types.get(0)).isEqualTo(AuditEvents.RUN_STARTED);
        assertThat(types).contains(AuditEvents.GITHUB_REQUEST, AuditEvents.RELEASE_RESOLVED);
        assertThat(types.get(types.size() - 1)).isEqualTo(AuditEvents.RUN_FINISHED);
    }

    @Test
    void noAuditLogIsWrittenUnlessAsked() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        long before;
        try (var files = java.nio.file.Files.list(cwd)) {
            before = files.filter(f -> f.getFileName().toString().startsWith("flow-audit-"))
                    .count();
        }
        assertThat(flow("--tag", "v4.5.2").code()).isZero();
        try (var files = java.nio.file.Files.list(cwd)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("flow-audit-"))
                            .count())
                    .isEqualTo(before);
        }
    }
}
