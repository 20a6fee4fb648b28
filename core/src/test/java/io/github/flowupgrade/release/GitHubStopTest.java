package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.testing.SilentServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A GitHub request still waiting for the status line of its answer ends at once when the run is stopped (SIGINT or
 * SIGTERM call {@link GitHubClient#stopRequests()}), not at its timeout: cancelling the JDK's exchange alone does not
 * end that wait. (The whole process with a real signal: {@code cli} faults.GitHubAnswerFaultsTest.)
 */
class GitHubStopTest {
    @Test
    void aRequestWaitingForItsHeadersEndsAtOnceWhenTheRunIsStopped() throws Exception {
        try (SilentServer api = SilentServer.start()) {
            GitHubClient client = new GitHubClient(
                    GitHubClient.Settings.of(api.url(), "octo-org/mastodon-config")
                            .withTimeout(Duration.ofSeconds(30), 3, Duration.ofSeconds(1)),
                    AuditLog.none());
            CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    client.runReviews(4242);
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (api.requests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.requests()).as("the request reached the server").isEqualTo(1);
            Thread.sleep(300); // well inside the header wait

            long stopped = System.nanoTime();
            GitHubClient.stopRequests();
            Throwable e = failure.get(5, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(Duration.ofSeconds(2));
            assertThat(e)
                    .isInstanceOfSatisfying(
                            FlowException.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.NETWORK))
                    .hasMessageStartingWith("interrupted: the request for " + api.url());
            assertThat(api.requests()).as("not retried").isEqualTo(1);
        }
    }
}
