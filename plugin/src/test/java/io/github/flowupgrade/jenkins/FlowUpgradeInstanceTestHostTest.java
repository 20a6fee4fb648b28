package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowUpgrade(instance: ...)}'s agent side on three real test hosts that form one instance (one shared
 * PostgreSQL and task log, as in the CLI's {@code InstanceUpgradeEndToEndTest}): the task is made as the step makes
 * it, from an inline description, and sent through serialization to an in-process agent, which reaches each host
 * through its own loopback port. The instance is upgraded as the CLI upgrades it: migrations once, streaming only on
 * the streaming host, one audit trail in the workspace naming every host.
 */
@Tag("testhost")
class FlowUpgradeInstanceTestHostTest {
    private static final String PRE = "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate";
    private static final String POST = "SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle exec rails db:migrate";

    @RegisterExtension
    static final TestHost WEB1 = TestHost.instanceMember("p1", null);

    @RegisterExtension
    static final TestHost WEB2 = TestHost.instanceMember("p2", WEB1);

    @RegisterExtension
    static final TestHost STREAM = TestHost.instanceMember("p3", WEB1);

    private static final List<TestHost> HOSTS = List.of(WEB1, WEB2, STREAM);

    @TempDir
    Path tmp;

    @AfterAll
    static void down() {
        for (int i = HOSTS.size() - 1; i >= 0; i--) {
            HOSTS.get(i).down();
        }
    }

    @Test
    void upgradesTheInstanceAsOneWithTheStepsParameters() throws Exception {
        String key = Files.readString(Path.of(WEB1.info().clientKey() + ".pub")).strip();
        String toolchain = Files.readString(WEB1.toolchainScript());
        List<PortForward> forwards = new ArrayList<>();
        try (FakeGitHub github = FakeGitHub.start("mastodon/mastodon", FakeGitHubMain.releases(WEB1.releaseNotes()))) {
            String[] roles = {"[\"web\"]", "[\"web\", \"sidekiq\"]", "[\"streaming\"]"};
            List<String> hosts = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < HOSTS.size(); i++) {
                TestHost host = HOSTS.get(i);
                host.reset();
                TestHost.Result ready = host.ssh(
                        "root",
                        toolchain + "\n: > /var/tmp/flow-toolchain.log; printf '%s\\n' '" + key
                                + "' >> /root/.ssh/authorized_keys");
                assertThat(ready.exitCode()).as(ready.stderr()).isZero();
                PortForward forward = host.forward(host.info().sshPort());
                forwards.add(forward);
                labels.add("127.0.0.1:" + forward.port());
                hosts.add("{\"host\": \"127.0.0.1\", \"port\": " + forward.port() + ", \"hostKey\": \""
                        + host.info().hostKeyFingerprint() + "\", \"roles\": " + roles[i] + "}");
            }
            String instance = "{\"name\": \"social.test\", \"migrationHost\": \"" + labels.get(0) + "\", \"hosts\": ["
                    + String.join(", ", hosts) + "]}";
            long streamingBefore = pid(STREAM, "mastodon-streaming");

            FlowUpgradeStep step = new FlowUpgradeStep(null, "mastodon-ssh", "v4.3.1");
            step.setInstance(instance);
            step.setApiUrl(github.apiUrl().toString());
            step.setGitUrl(WEB1.info().upstream().hostPath().toString());
            step.setConfirmManual(true);
            step.setStreamingApprovedBy("alice");
            Path flowDir = Files.createDirectories(tmp.resolve("workspace").resolve(Workspaces.FLOW_DIR));
            TestListener log = new TestListener();
            String hostList = String.join(", ", labels);
            UpgradeTask task = new UpgradeTask(
                    new HostTarget(
                            log.listener(),
                            step.hostRequest(hostList),
                            new SshLogin(
                                    "mastodon-ssh",
                                    "root",
                                    Files.readString(WEB1.info().clientKey()),
                                    null),
                            new BuildInfo("upgrade#9", null),
                            flowDir.toString()),
                    step.releaseRequest(),
                    null,
                    // As the controller decides when alice approved the input RestartStreaming of the build.
                    ApprovalVerdict.approvedBy("alice", "approved in the input RestartStreaming"),
                    step.settings(),
                    instance);

            Map<String, Object> result = InProcessAgent.callOnce(task);

            assertThat(result).as(log.log()).containsEntry("status", "upgraded");
            assertThat(new UpgradeOutcome(result).succeeded()).isTrue();
            List<String> tasks =
                    Files.readAllLines(WEB1.info().sharedDirOnMachine().resolve("tasks.log"));
            assertThat(tasks.stream().filter(l -> l.endsWith(PRE)))
                    .containsExactly(
                            WEB1.info().machine() + " mastodon /home/mastodon/live RAILS_ENV=production " + PRE);
            assertThat(tasks.stream().filter(l -> l.endsWith(POST)))
                    .containsExactly(
                            WEB1.info().machine() + " mastodon /home/mastodon/live RAILS_ENV=production " + POST);
            assertThat(pid(STREAM, "mastodon-streaming")).isNotEqualTo(streamingBefore);
            assertThat(new ResultView(new ResultView(result).child("streaming")).text("approvedBy", null))
                    .isEqualTo("alice");
            for (TestHost host : HOSTS) {
                assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out())
                        .isEqualTo("v4.3.1");
            }
            // One audit trail for the instance, in the workspace, naming every host.
            Path trail = flowDir.resolve(Workspaces.auditFileName(hostList));
            assertThat(Files.readAllLines(trail).get(0)).contains("\"hosts\":[\"" + String.join("\",\"", labels));
        } finally {
            forwards.forEach(PortForward::close);
        }
    }

    private static long pid(TestHost host, String unit) {
        TestHost.Result pid = host.ssh("root", "systemctl show " + unit + " -p MainPID --value");
        assertThat(pid.exitCode()).as(pid.stderr()).isZero();
        return Long.parseLong(pid.out());
    }
}
