package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowUpgrade} with {@code app: 'flow'} on the Flow-shaped test host (user {@code flow}, {@code /home/flow/live},
 * the {@code flow-*} units, releases of {@code tootsuite/flow}): the step's task, made as the step makes it and sent
 * through serialization to an in-process agent, deploys v4.4.0 in the single hop Flow's guide allows, running every
 * skipped release's tasks once, and touches no Mastodon name. The task connects from this JVM through a port forwarded
 * into the host's network namespace.
 */
@Tag("testhost")
class FlowAppUpgradeTaskTestHostTest {
    @RegisterExtension
    static final TestHost FLOW = TestHost.forApp("flow");

    @TempDir
    Path workspace;

    @Test
    void upgradesAFlowHostInOneHopAsTheFlowUser() throws Exception {
        TestHostInfo info = FLOW.info();
        FLOW.reset();
        TestHost.Result toolchain =
                FLOW.ssh("root", Files.readString(FLOW.toolchainScript()) + "\n: > /var/tmp/flow-toolchain.log");
        assertThat(toolchain.exitCode()).as(toolchain.stderr()).isZero();

        Map<String, Object> result;
        try (FakeGitHub github = FakeGitHub.start(FLOW.releaseRepo(), FakeGitHubMain.releases(FLOW.releaseNotes()));
                PortForward sshd = FLOW.forward(info.sshPort())) {
            FlowUpgradeStep step = new FlowUpgradeStep("127.0.0.1", "flow-ssh", "v4.4.0");
            step.setApp("flow");
            step.setPort(sshd.port());
            step.setKnownHostsFile(info.knownHosts().toString());
            step.setApiUrl(github.apiUrl().toString());
            step.setConfirmManual(true);
            step.setStreamingApprovedBy("alice");
            TestListener log = new TestListener();
            result = InProcessAgent.callOnce(new UpgradeTask(
                    new HostTarget(
                            log.listener(),
                            step.hostRequest(),
                            new SshLogin("flow-ssh", "root", Files.readString(info.clientKey()), null),
                            new BuildInfo("flow-upgrade#4", null),
                            workspace.resolve(Workspaces.FLOW_DIR).toString()),
                    step.releaseRequest(),
                    null,
                    ApprovalVerdict.approvedBy("alice", "approved in the input RestartStreaming"),
                    step.settings()));
            assertThat(log.log()).doesNotContain("mastodon");
        }

        Map<String, Object> host = ResultView.asMap(((List<?>) result.get("hosts")).get(0));
        assertThat(host.get("status")).isEqualTo("upgraded");
        assertThat(host.get("hops")).isEqualTo(List.of("v4.4.0"));
        assertThat((List<?>) host.get("checkouts")).hasSize(1);
        assertThat(FLOW.ssh("flow", "git -C ~/live describe --tags").out()).isEqualTo("v4.4.0");
        // Each task once, as flow in its tree, carrying the instructions of every release the hop skipped.
        List<String> tasks = FLOW.ssh("root", "cat /var/tmp/flow-toolchain.log")
                .out()
                .lines()
                .filter(l -> l.matches(".* (bundle|yarn) .*"))
                .toList();
        assertThat(tasks).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("flow /home/flow/live "));
        assertThat(tasks).doesNotHaveDuplicates();
        // The audit trail: every command as flow (root for systemctl), on flow-* units, nowhere a Mastodon name.
        Path trail = workspace.resolve(Workspaces.FLOW_DIR).resolve(Workspaces.auditFileName("127.0.0.1"));
        assertThat(Files.readString(trail)).doesNotContain("mastodon");
        List<AuditEvent> commands = AuditEvent.readAll(trail).stream()
                .filter(e -> "command".equals(e.type()))
                .toList();
        assertThat(commands)
                .isNotEmpty()
                .allSatisfy(
                        e -> assertThat(String.valueOf(e.fields().get("user"))).isIn("flow", "root"));
        assertThat(commands)
                .anySatisfy(e ->
                        assertThat(String.valueOf(e.fields().get("command"))).contains("flow-web"));
    }
}
