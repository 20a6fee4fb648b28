package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.HostileHttpServer;
import io.github.flowupgrade.testing.HostileHttpServer.Behaviour;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 5 and 6: the token goes to the configured origin only, never over plain http across a network, and
 * an answer that trickles or redirects elsewhere ends the lookup with a clear exit 5. Real HTTP servers on loopback.
 * (The size bound is tested on the whole process, whose memory it protects: {@code cli} faults.GitHubAnswerFaultsTest.)
 */
class GitHubTrustTest {
    private static final String TOKEN = "tok-9f8e7d6c5b4a39281706";

    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final ReleaseLookup lookup = new ReleaseLookup(AuditLog.none(), Console.silent());

    @AfterEach
    void stop() {
        github.close();
    }

    private ReleaseLookupRequest request(URI api) {
        return ReleaseLookupRequest.of(AppProfile.mastodon(), "v4.5.2")
                .withApi(api, cache)
                .withToken(TOKEN, "$GITHUB_TOKEN")
                .withTimeout(Duration.ofSeconds(1), 2, Duration.ofMillis(10));
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndTheTokenStaysHome() {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.REDIRECT).redirectTo(github.apiUrl())) {
            assertThatThrownBy(() -> lookup.run(request(api.url())))
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                    .hasMessageContaining("redirected " + api.url() + "/repos/mastodon/mastodon/releases/tags/v4.5.2")
                    .hasMessageContaining("to another origin (http://127.0.0.1:"
                            + github.apiUrl().getPort() + ")")
                    .hasMessageContaining("api-url")
                    .hasMessageNotContaining(TOKEN);
            assertThat(api.authorizations()).containsExactly("Bearer " + TOKEN);
        }
        assertThat(github.requests())
                .as("requests that reached the other origin")
                .isZero();
        assertThat(github.authorizations()).isEmpty();
    }

    @Test
    void aRedirectWithinTheOriginIsFollowedAsForARenamedRepository() {
        github.renamedFrom("tootsuite/mastodon");
        ReleaseLookupRequest renamed = ReleaseLookupRequest.of(
                        AppProfile.mastodon().withRepo("tootsuite/mastodon"), "v4.5.2")
                .withApi(github.apiUrl(), cache)
                .withToken(TOKEN, "$GITHUB_TOKEN");
        assertThat(lookup.run(renamed).target().tagName()).isEqualTo("v4.5.2");
        assertThat(github.authorizations()).containsExactly("Bearer " + TOKEN, "Bearer " + TOKEN);
    }

    @Test
    void endlessRedirectsWithinTheOriginEnd() {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.REDIRECT)) {
            api.redirectTo(URI.create(api.url() + "/again"));
            assertThatThrownBy(() -> lookup.run(request(api.url())))
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                    .hasMessageContaining("more than 5 times");
            assertThat(api.requests()).isEqualTo(6);
        }
    }

    @Test
    void aTokenOverPlainHttpGoesOnlyToThisMachine() {
        for (String far :
                new String[] {"http://github.example", "http://10.0.0.7:8080/api/v3", "http://127.0.0.1.example"}) {
            assertThatThrownBy(() -> request(URI.create(far)))
                    .as(far)
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                    .hasMessageContaining("refusing to send the GitHub token over plain http to ")
                    .hasMessageContaining("https://")
                    .hasMessageNotContaining(TOKEN);
            assertThatThrownBy(() -> GitHubClient.Settings.of(URI.create(far), "mastodon/mastodon")
                            .withToken(TOKEN, null))
                    .isInstanceOf(FlowException.class);
        }
        for (String near : new String[] {
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://localhost:3000",
            "http://[::1]:8080",
            "https://github.example"
        }) {
            assertThat(request(URI.create(near)).apiUrl()).hasToString(near);
        }
        assertThat(ReleaseLookupRequest.of(AppProfile.mastodon(), "v4.5.2")
                        .withApi(URI.create("http://github.example"), cache)
                        .apiUrl())
                .as("without a token plain http is the user's choice")
                .hasToString("http://github.example");
    }

    @Test
    void anAnswerThatTricklesEndsWithinTheTimeout() {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.TRICKLE)) {
            long started = System.nanoTime();
            assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThatThrownBy(() -> lookup.run(request(api.url())))
                            .isInstanceOfSatisfying(
                                    FlowException.class,
                                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                            .hasMessageContaining("did not answer within 1000 ms (2 tries)")
                            .hasMessageContaining("headers and body"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(5));
            assertThat(api.requests()).isEqualTo(2);
            assertThat(api.bytesSent()).as("bytes trickled before the cut").isBetween(2L, 4L);
        }
    }
}
