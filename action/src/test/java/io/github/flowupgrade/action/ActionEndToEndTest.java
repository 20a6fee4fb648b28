package io.github.flowupgrade.action;

import static io.github.flowupgrade.action.ActionTesting.JOB_TOKEN;
import static io.github.flowupgrade.action.ActionTesting.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Review;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example workflow's three jobs, as the action's steps run them, on the real test host (systemd, sshd, the three
 * units) at v4.2.0: plan, upgrade to v4.3.1 with the streaming restart left pending, then restart-streaming, which
 * flow refuses until the GitHub API double holds an approval of the protected environment in this run, and does with
 * one. The engine connects from this JVM's side through a port forwarded into the host's namespace, as flow would
 * from a runner; the release notes and the run's approvals come from a loopback double of GitHub's API.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
class ActionEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void upgradesToV431LeavesStreamingPendingAndRestartsItOnlyWithTheEnvironmentsApproval(TestHost host)
            throws Exception {
        host.reset();
        TestHost.Result toolchain = host.ssh("root", Files.readString(host.toolchainScript()));
        assertThat(toolchain.exitCode()).as(toolchain.stderr()).isZero();
        TestHostInfo info = host.info();
        String v420 = commitOf(info, "v4.2.0");
        String v431 = commitOf(info, "v4.3.1");
        assertThat(head(host)).isEqualTo(v420);
        String key = Files.readString(info.clientKey(), StandardCharsets.UTF_8);

        try (PortForward ssh = host.forward(info.sshPort());
                // The job's GitHub: the releases, and the approvals of run 4242 of the configuration repository.
                FakeGitHub github =
                        FakeGitHub.start(host.releaseRepo(), FakeGitHubMain.releases(host.releaseNotes()))) {
            Map<String, String> connection = ActionTesting.with(
                    "hosts",
                    "127.0.0.1",
                    "port",
                    Integer.toString(ssh.port()),
                    "login",
                    "root",
                    "run-as",
                    "su",
                    "host-keys",
                    info.hostKeyFingerprint(),
                    "ssh-key",
                    key,
                    "flow-jar",
                    ActionTesting.flowJar().toString());
            // Where the release notes come from, for plan and upgrade (restart looks nothing up).
            Map<String, String> release = with(
                    connection,
                    "extra-args",
                    String.join(
                            "\n",
                            "--api-url",
                            github.apiUrl().toString(),
                            "--cache-dir",
                            tmp.resolve("github-cache").toString(),
                            "--git-url",
                            info.upstream().hostPath().toString()));
            CompositeAction.Runner runner = ActionTesting.runner(
                    tmp,
                    ActionTesting.github(github.apiUrl().toString()),
                    Map.of("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString()));
            CompositeAction action = ActionTesting.action();
            long streamingBefore = mainPid(host, "mastodon-streaming");

            // Job "plan": the host's release read, the plan reported, nothing changed.
            CompositeAction.Run plan = action.run(with(release, "command", "plan", "tag", "v4.3.1"), runner);
            assertThat(plan.exitCode()).as(plan.printed()).isZero();
            assertThat(plan.output("status")).isEqualTo("planned");
            assertThat(plan.output("streaming-needed")).isEqualTo("true");
            assertThat(head(host)).isEqualTo(v420);

            // Job "upgrade": everything but the streaming restart, which waits for its approval.
            CompositeAction.Run upgrade =
                    action.run(with(release, "command", "upgrade", "tag", "v4.3.1", "confirm-manual", "true"), runner);
            assertThat(upgrade.exitCode()).as(upgrade.printed()).isZero();
            assertThat(upgrade.output("status")).isEqualTo("pending approval");
            assertThat(upgrade.output("streaming-pending")).isEqualTo("true");
            assertThat(upgrade.output("streaming-pending-hosts")).isEqualTo("127.0.0.1");
            assertThat(head(host)).isEqualTo(v431);
            assertThat(mainPid(host, "mastodon-streaming")).isEqualTo(streamingBefore);
            JsonNode upgraded =
                    JSON.readTree(upgrade.output("result")).path("hosts").get(0);
            assertThat(upgraded.path("commit").asText()).isEqualTo(v431);
            assertThat(Path.of(upgrade.output("audit-log"))).exists();

            // Job "streaming", on the hosts the upgrade left pending: flow refuses it without this run's approval.
            Map<String, String> streaming = with(
                    connection,
                    "command",
                    "restart-streaming",
                    "approval-environment",
                    "mastodon-streaming",
                    "hosts",
                    upgrade.output("streaming-pending-hosts"));
            List<List<Review>> refusals = List.of(
                    List.of(),
                    List.of(Review.approved("carol-ops", "", "mastodon-upgrade")),
                    List.of(Review.rejected("dave-ops", "Not during the event", "mastodon-streaming")));
            List<String> outcomes = List.of("not approved", "not approved", "rejected");
            for (int i = 0; i < refusals.size(); i++) {
                github.runReviews(REPOSITORY, 4242, refusals.get(i));
                CompositeAction.Run refused = action.run(streaming, runner);
                assertThat(refused.exitCode()).as(refused.printed()).isEqualTo(3);
                assertThat(refused.printed()).contains("flow: the GitHub environment mastodon-streaming");
                assertThat(mainPid(host, "mastodon-streaming")).isEqualTo(streamingBefore);
                // The refusal is in the trail: what flow read, and how the run ended.
                List<JsonNode> trail = events(Path.of(refused.output("audit-log")));
                JsonNode checked = last(trail, "approval.checked");
                assertThat(checked.path("fields").path("outcome").asText()).isEqualTo(outcomes.get(i));
                assertThat(last(trail, "run.finished")
                                .path("fields")
                                .path("status")
                                .asText())
                        .isEqualTo("refused");
                assertThat(trail).noneMatch(e -> e.path("type").asText().equals("command"));
            }

            github.runReviews(
                    REPOSITORY,
                    4242,
                    List.of(
                            Review.approved("carol-ops", "", "mastodon-upgrade"),
                            Review.approved("bob-reviewer", "Quiet hour, go", "mastodon-streaming")));
            CompositeAction.Run restarted = action.run(streaming, runner);
            assertThat(restarted.exitCode()).as(restarted.printed()).isZero();
            assertThat(restarted.output("approved-by")).isEqualTo("bob-reviewer");
            long streamingAfter = mainPid(host, "mastodon-streaming");
            assertThat(streamingAfter).isPositive().isNotEqualTo(streamingBefore);
            JsonNode result =
                    JSON.readTree(restarted.output("result")).path("hosts").get(0);
            assertThat(result.path("streaming").path("restarted").asBoolean()).isTrue();
            assertThat(result.path("services").toString()).doesNotContain("mastodon-web", "mastodon-sidekiq");

            // The trail for the artifact names the reviewer and where the approval was read, and verifies.
            Path trail = Path.of(restarted.output("audit-log"));
            JsonNode granted = last(events(trail), "approval.granted").path("fields");
            assertThat(granted.path("by").asText()).isEqualTo("bob-reviewer");
            assertThat(granted.path("environment").asText()).isEqualTo("mastodon-streaming");
            assertThat(granted.path("repository").asText()).isEqualTo(REPOSITORY);
            assertThat(granted.path("runId").asLong()).isEqualTo(4242);
            assertThat(granted.path("runAttempt").asInt()).isEqualTo(1);
            assertThat(granted.path("reviewers").toString()).isEqualTo("[\"bob-reviewer\"]");
            assertThat(granted.path("comments").get(0).path("comment").asText()).isEqualTo("Quiet hour, go");
            Process verify = new ProcessBuilder(
                            "java", "-jar", ActionTesting.flowJar().toString(), "audit", "verify", trail.toString())
                    .redirectErrorStream(true)
                    .start();
            String verified = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(verify.waitFor()).as(verified).isZero();
            for (CompositeAction.Run run : List.of(plan, upgrade, restarted)) {
                assertThat(run.printed()).doesNotContain(JOB_TOKEN);
                key.lines()
                        .filter(l -> !l.startsWith("-----") && !l.isBlank())
                        .forEach(l -> assertThat(run.printed()).doesNotContain(l));
            }
        }
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> with = ActionTesting.with();
        with.putAll(base);
        with.putAll(ActionTesting.with(more));
        return with;
    }

    private static String commitOf(TestHostInfo info, String tag) {
        return info.tags().stream()
                .filter(t -> t.name().equals(tag))
                .findFirst()
                .orElseThrow()
                .commit();
    }

    private static String head(TestHost host) {
        return host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD").out();
    }

    private static long mainPid(TestHost host, String unit) {
        return Long.parseLong(
                host.ssh("root", "systemctl show -p MainPID --value " + unit).out());
    }

    private static List<JsonNode> events(Path trail) throws IOException {
        return Files.readAllLines(trail).stream().map(ActionEndToEndTest::json).toList();
    }

    private static JsonNode last(List<JsonNode> events, String type) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals(type))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no " + type + " in the trail"));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
