package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Failure;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every GitHub failure gives a clear message and the documented exit code. */
class GitHubErrorsTest {
    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final ReleaseLookup lookup = new ReleaseLookup(AuditLog.none(), Console.silent());

    @AfterEach
    void stop() {
        github.close();
    }

    private ReleaseLookupRequest request(String tag, String from) {
        return ReleaseLookupRequest.of(AppProfile.mastodon(), tag)
                .withApi(github.apiUrl(), cache)
                .withFrom(from)
                .withTimeout(Duration.ofMillis(500), 3, Duration.ofMillis(10));
    }

    private AbstractThrowableAssert<?, ?> failsWith(ReleaseLookupRequest request, ExitCode code) {
        return assertThatThrownBy(() -> lookup.run(request))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(code));
    }

    @Test
    void badTokenIsBadInputNamingTheVariableNotTheToken() {
        github.validToken("the-right-one");
        failsWith(request("v4.5.2", null).withToken("wr0ng-t0ken", "$GITHUB_TOKEN"), ExitCode.BAD_INPUT)
                .hasMessageContaining("401")
                .hasMessageContaining("$GITHUB_TOKEN")
                .hasMessageNotContaining("wr0ng-t0ken");
    }

    @Test
    void unknownTagIsBadInputListingTheNearestTags() {
        failsWith(request("v4.5.99", null), ExitCode.BAD_INPUT)
                .hasMessageContaining("no published release v4.5.99")
                .hasMessageContaining("Nearest releases: v4.5.20, v4.5.19");
        failsWith(request("v4.5.99", "v4.5.0"), ExitCode.BAD_INPUT).hasMessageContaining("v4.5.20");
    }

    @Test
    void unknownRepositoryIsBadInput() {
        github.fail(Failure.NOT_FOUND);
        failsWith(request("v4.5.2", "v4.5.0"), ExitCode.BAD_INPUT)
                .hasMessageContaining("repository mastodon/mastodon not found")
                .hasMessageContaining("Check repo/app");
    }

    @Test
    void deletedReleaseIsBadInputAfterItWasCached() {
        lookup.run(request("v4.6.3", "v4.6.0"));
        github.deleteRelease("v4.6.3");
        failsWith(request("v4.6.3", "v4.6.0"), ExitCode.BAD_INPUT)
                .hasMessageContaining("no published release v4.6.3")
                .hasMessageContaining("v4.6.4");
        failsWith(request("v4.6.3", null), ExitCode.BAD_INPUT).hasMessageContaining("v4.6.2");
    }

    @Test
    void exhaustedRateLimitIsNetworkWithTheResetTime() {
        github.fail(Failure.RATE_LIMITED);
        failsWith(request("v4.5.2", null), ExitCode.NETWORK)
                .hasMessageContaining("rate limit exceeded (403")
                .hasMessageContaining("resets at 20")
                .hasMessageContaining("with token for 5000");
        assertThat(github.requests()).as("no retry while rate-limited").isEqualTo(1);
    }

    @Test
    void secondaryRateLimitIsNetworkWithRetryAfter() {
        github.fail(Failure.TOO_MANY_REQUESTS);
        failsWith(request("v4.5.2", null), ExitCode.NETWORK)
                .hasMessageContaining("rate limit exceeded (429")
                .hasMessageContaining("retry after 120 s");
    }

    @Test
    void serverErrorsAreRetriedThenNetwork() {
        github.fail(Failure.SERVER_ERROR);
        failsWith(request("v4.5.2", null), ExitCode.NETWORK)
                .hasMessageContaining("failed with 500")
                .hasMessageContaining("3 tries");
        assertThat(github.requests()).isEqualTo(3);
    }

    @Test
    void aPassingBadGatewayIsRetriedAway() {
        github.failNext(2, Failure.BAD_GATEWAY);
        ReleaseLookupResult result = lookup.run(request("v4.5.2", null));
        assertThat(result.target().tagName()).isEqualTo("v4.5.2");
        assertThat(result.apiRequests()).isEqualTo(3);
    }

    @Test
    void timeoutsAreRetriedThenNetwork() {
        github.fail(Failure.SLOW);
        github.slowMillis(3000);
        long started = System.nanoTime();
        failsWith(request("v4.5.2", null), ExitCode.NETWORK)
                .hasMessageContaining("did not answer within 500 ms (3 tries)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void malformedJsonIsNetwork() {
        github.fail(Failure.MALFORMED_JSON);
        failsWith(request("v4.5.2", "v4.5.0"), ExitCode.NETWORK)
                .hasMessageContaining("not the expected JSON")
                .hasMessageContaining("api-url");
    }

    @Test
    void unreachableApiIsNetwork() {
        github.close();
        failsWith(
                        request("v4.5.2", null).withTimeout(Duration.ofMillis(500), 2, Duration.ofMillis(1)),
                        ExitCode.NETWORK)
                .hasMessageContaining("cannot reach the GitHub API");
    }

    @Test
    void paginationNeverLeadsTheTokenToAnotherOrigin() {
        GitHubClient client = new GitHubClient(
                GitHubClient.Settings.of(github.apiUrl(), "mastodon/mastodon").withToken("t0ken", "$T"),
                AuditLog.none());
        String base = github.apiUrl() + "/repos/mastodon/mastodon/releases?per_page=100&page=";
        assertThat(client.nextLink("<" + base + "2>; rel=\"next\", <" + base + "3>; rel=\"last\""))
                .hasToString(base + "2");
        assertThat(client.nextLink("<" + base + "1>; rel=\"prev\"")).isNull();
        assertThatThrownBy(() -> client.nextLink("<https://evil.example/steal?page=2>; rel=\"next\""))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                .hasMessageContaining("refusing to follow");
        assertThat(client.settings().toString()).doesNotContain("t0ken");
    }

    @Test
    void aDamagedCacheIsIgnored() throws Exception {
        lookup.run(request("v4.5.2", null));
        try (var files = java.nio.file.Files.list(cache)) {
            for (Path file : files.toList()) {
                java.nio.file.Files.writeString(file, "{not json");
            }
        }
        assertThat(lookup.run(request("v4.5.2", null)).target().tagName()).isEqualTo("v4.5.2");
        assertThat(github.notModified()).isZero();
    }

    @Test
    void badArgumentsAreBadInput() {
        assertThatThrownBy(() -> ReleaseLookupRequest.of(AppProfile.mastodon(), "v4.5.2; rm -rf /"))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        assertThatThrownBy(() -> request("v4.5.2", "yesterday"))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    }
}
