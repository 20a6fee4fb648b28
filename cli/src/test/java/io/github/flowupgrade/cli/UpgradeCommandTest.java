package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flow upgrade} and {@code flow restart} in-process: bad input refused before any connection, and the dry run,
 * which looks the release up (on the loopback GitHub double) but sends nothing to the host.
 */
class UpgradeCommandTest {
    @TempDir
    Path tmp;

    private FakeGitHub github;

    @BeforeEach
    void serve() throws Exception {
        github = FakeGitHub.start("mastodon/mastodon", FakeGitHubMain.releases(notes()));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    record Run(int code, String out, String err) {}

    private static Run flow(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void hostileOrMistakenInputIsRefusedWithExitCode2BeforeAnyConnection() {
        String[][] cases = {
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1;reboot"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--from", "$(id)"},
            {"upgrade", "--host", "-oProxyCommand=x", "--tag", "v4.3.1"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--streaming", "sometimes"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--approved-by", "eve\nforged"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--task-timeout", "0"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--dir", "/home/../etc"},
            {"upgrade", "--host", "h.invalid", "--tag", "v4.3.1", "--web-action", "bounce"},
            {"restart", "--host", "h.invalid", "--web-action", "kill"},
            {"restart", "--host", "h.invalid", "--services", "streaming", "--streaming", "never"},
            {"restart", "--host", "h.invalid", "--services", "web,web"},
            {"restart", "--host", "h.invalid", "--services", "web;reboot"},
            {"restart", "--host", "h.invalid", "--health-timeout", "-1"},
            {"restart", "--host", "h.invalid", "--plan", "/nonexistent/plan.json"},
        };
        for (String[] args : cases) {
            Run r = flow(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("flow: ");
        }
    }

    @Test
    void dryRunPrintsThePlanAndEveryCommandInOrderAndRunsNone() {
        // h.invalid cannot be resolved: the run succeeds only because nothing connects to it.
        Run r = flow(
                "upgrade",
                "--host",
                "h.invalid",
                "--login",
                "root",
                "--as",
                "su",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--confirm-manual",
                "--approved-by",
                "Alice Admin",
                "--dry-run");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Plan: v4.2.0 -> v4.3.1; releases v4.2.1, v4.3.0, v4.3.1; hops v4.3.1")
                .contains("after-checkout: SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate")
                .contains("after-restart: bundle exec rails db:migrate")
                .containsSubsequence(
                        // A dry run shows each command as it runs, without the time limit around it.
                        "would run: su - mastodon -c '(cd /home/mastodon/live"
                                + " && env PATH=\"$HOME/.rbenv/shims:$HOME/.rbenv/bin:/usr/local/bin:$PATH\" ruby -v)'",
                        "mkdir /home/mastodon/.flow-upgrade/lock",
                        "git -C /home/mastodon/live fetch --tags",
                        "'\\''bundle install'\\''",
                        "would run: systemctl restart mastodon-sidekiq",
                        "would run: systemctl reload mastodon-web",
                        "would run: curl -fsS --max-time 5 http://127.0.0.1:3000/health",
                        "'\\''bundle exec rails db:migrate'\\''",
                        // v4.3.0 asked, not v4.2.1 and v4.3.1, which the hop to v4.3.1 carries too
                        "streaming restart needed: the release notes of v4.3.0 require a streaming restart",
                        "streaming restart approved by Alice Admin",
                        "would run: systemctl restart mastodon-streaming",
                        "would run: curl -fsS --max-time 5 http://127.0.0.1:4000/api/v1/streaming/health",
                        "rmdir /home/mastodon/.flow-upgrade/lock",
                        "Summary for h.invalid: planned (v4.2.0 -> v4.3.1 via v4.3.1");
        assertThat(r.out()).doesNotContain("[done]").doesNotContain("[FAILED]");
    }

    @Test
    void confirmedManualStepsAreCountedOncePerRunNotListedPerHost() {
        Run r = flow(
                "upgrade",
                "--host",
                "a.invalid",
                "--host",
                "b.invalid",
                "--login",
                "root",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--confirm-manual",
                "--dry-run");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(occurrences(r.out(), "Summary for ")).isEqualTo(2);
        assertThat(occurrences(r.out(), "Plan: v4.2.0 -> v4.3.1")).isEqualTo(1);
        assertThat(occurrences(r.out(), "  manual steps: ")).isEqualTo(1);
        assertThat(r.out())
                .containsPattern("  manual steps: \\d+, confirmed \\(--confirm-manual\\)")
                .doesNotContain("Manual steps the release notes ask for");
    }

    @Test
    void unconfirmedManualStepsAreListedOnceBeforeTheRefusal() {
        Run r = flow(
                "upgrade",
                "--host",
                "a.invalid",
                "--login",
                "root",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--no-prompt",
                "--dry-run");

        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(occurrences(r.out(), "Manual steps the release notes ask for"))
                .isEqualTo(1);
        // Each item once: the first one's line appears a single time.
        String firstItem = r.out()
                .lines()
                .filter(l -> l.startsWith("  - ["))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no manual item in:\n" + r.out()));
        assertThat(occurrences(r.out(), firstItem)).isEqualTo(1);
        assertThat(r.err()).contains("manual step(s) from the release notes are not confirmed");
    }

    @Test
    void aLookupWarningIsPrintedOncePerRun() {
        try (FakeGitHub mastodon = FakeGitHub.mastodon()) {
            Run r = flow(
                    "upgrade",
                    "--host",
                    "a.invalid",
                    "--host",
                    "b.invalid",
                    "--login",
                    "root",
                    "--tag",
                    "v4.6.3",
                    "--from",
                    "v4.5.10",
                    "--api-url",
                    mastodon.apiUrl().toString(),
                    "--cache-dir",
                    tmp.toString(),
                    "--confirm-manual",
                    "--dry-run");

            assertThat(r.code()).as(r.err()).isZero();
            assertThat(occurrences(r.out() + r.err(), "the notes of v4.6.0, v4.6.1 have no update steps"))
                    .as(r.out() + r.err())
                    .isEqualTo(1);
        }
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    @Test
    void aRootLoginWithoutARunAsModeReachesTheAppUserThroughSuAsTheGuideDoes() {
        Run r = flow(
                "upgrade",
                "--host",
                "h.invalid",
                "--login",
                "root",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--confirm-manual",
                "--dry-run");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("would run: su - mastodon -c ")
                .contains("would run: systemctl restart mastodon-sidekiq")
                .doesNotContain("sudo -n");
    }

    @Test
    void restartDryRunWithAPlanFileAsksTheGateAndLeavesStreamingPendingWithoutApproval() throws Exception {
        Path plan = tmp.resolve("plan.json");
        java.nio.file.Files.writeString(plan, "{\"releases\": [\"v4.3.0\"], \"plan\": {\"streamingRestart\": true}}");
        Run r = flow("restart", "--host", "h.invalid", "--plan", plan.toString(), "--no-prompt", "--dry-run", "--json");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err())
                .containsSubsequence(
                        // --as direct (the default): root actions go through sudo -n, as plain argv for narrow rules
                        "would run: sudo -n systemctl restart mastodon-sidekiq",
                        "would run: sudo -n systemctl reload mastodon-web",
                        "streaming restart needed: the release notes of v4.3.0 require a streaming restart",
                        "streaming restart pending approval: not restarted")
                .doesNotContain("systemctl restart mastodon-streaming");
        assertThat(r.out()).contains("\"status\" : \"pending approval\"").contains("\"restarted\" : false");
    }

    @Test
    void restartNamesTheReleasesThatAskedAndThePathsTheCheckoutChanged() throws Exception {
        Path plan = tmp.resolve("plan.json");
        java.nio.file.Files.writeString(
                plan,
                "{\"releases\": [\"v4.2.1\", \"v4.3.0\", \"v4.3.1\"], \"plan\": {\"streamingRestart\": true,"
                        + " \"streamingRestartBy\": [\"v4.3.0\"]}}");
        Path checkout = tmp.resolve("checkout.json");
        java.nio.file.Files.writeString(
                checkout,
                "[{\"host\": \"h.invalid\", \"changed\": {\"streaming\": true, \"streamingPaths\":"
                        + " [\"streaming/index.js\"]}}]");
        Run r = flow(
                "restart",
                "--host",
                "h.invalid",
                "--plan",
                plan.toString(),
                "--checkout-result",
                checkout.toString(),
                "--no-prompt",
                "--dry-run",
                "--json");

        assertThat(r.code()).as(r.err()).isZero();
        String reason = "the release notes of v4.3.0 require a streaming restart; the checkout changed the"
                + " streaming server's files or packages (streaming/index.js)";
        assertThat(r.err()).contains("streaming restart needed: " + reason);
        assertThat(r.out()).contains("\"reason\" : \"" + reason.replace("'", "'") + "\"");
    }

    private static Path notes() throws URISyntaxException {
        return Path.of(UpgradeCommandTest.class
                .getClassLoader()
                .getResource("testhost-releases")
                .toURI());
    }
}
