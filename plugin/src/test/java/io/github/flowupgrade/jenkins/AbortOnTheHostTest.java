package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.audit.AuditVerification;
import io.github.flowupgrade.audit.AuditVerifier;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aborting a build while a step's task waits for a long remote command, with the real tasks and real hosts: the
 * embedded SSH server running {@code /bin/sh}, and the test host (Debian, systemd, OpenSSH). The abort reaches the task
 * on the agent as Jenkins sends it ({@link StepRun#stop}: {@link AbortAgentTask} through the agent's channel). The
 * remote command must end on the host at once, not at its ten-minute limit; the host lock must be released; the audit
 * trail must record the stop and the abort and be intact; and only then may the step end, as aborted.
 */
class AbortOnTheHostTest {
    private static final String HANG = "sleep 4712";
    /** Finds the hook's process, not the shell that runs pgrep (whose command line would hold the plain text). */
    private static final String FIND_HANG = "pgrep -f 'sleep 471[2]' >/dev/null && echo running || echo none";

    @TempDir
    Path dir;

    private final TestListener log = new TestListener();
    private final InProcessAgent agent = new InProcessAgent();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        agent.close();
        threads.shutdownNow();
    }

    @Test
    @Tag("ssh")
    void onTheEmbeddedServerTheCheckoutsHookIsStoppedAndTheLockReleased() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.start(dir.resolve("server"))) {
            Path live = dir.resolve("home/live");
            GitRepos repos = GitRepos.create(dir.resolve("git"), live);
            hangOnce(live.resolve(".git/hooks/post-checkout"), dir.resolve("hook-ran"));
            String user = System.getProperty("user.name");
            FlowCheckoutStep step = new FlowCheckoutStep("127.0.0.1", "mastodon-ssh", "v4.3.1");
            step.setPort(server.port());
            step.setKnownHostsFile(server.knownHosts().toString());
            step.setAppUser(user);
            step.setDir(live.toString());
            step.setCommandTimeout(600);
            CheckoutTask task = new CheckoutTask(
                    target(
                            step,
                            new SshLogin(
                                    "mastodon-ssh",
                                    user,
                                    Files.readString(server.clientKey().privateKey()),
                                    null)),
                    "v4.3.1",
                    null,
                    false,
                    false,
                    false);

            Throwable cause = abortWhen(task, () -> LocalProcess.anyProcessContains(HANG));

            assertThat(cause).hasMessage("aborted by alice");
            assertThat(LocalProcess.anyProcessContains(HANG))
                    .as("the hook still runs")
                    .isFalse();
            assertThat(live.resolveSibling(".flow-upgrade").resolve("lock")).doesNotExist();
            assertThat(repos.head()).isIn(repos.commitOf("v4.2.0"), repos.commitOf("v4.3.1"));
            assertTrail("127.0.0.1");
        }
    }

    /** On the test host, which only this part boots. */
    @Nested
    @Tag("testhost")
    @ExtendWith(TestHost.class)
    class OnTheTestHost {
        @Test
        void flowUpgradesHangingCommandIsStoppedAndTheLockReleased(TestHost host) throws Exception {
            abortFlowUpgradeOnTheTestHost(host);
        }
    }

    private void abortFlowUpgradeOnTheTestHost(TestHost host) throws Exception {
        TestHostInfo info = host.info();
        host.reset();
        TestHost.Result setUp = host.ssh(
                "root",
                Files.readString(host.toolchainScript()) + "\n: > /var/tmp/flow-toolchain.log;"
                        + " su - mastodon -c \"printf '%s\\\\n' '#!/bin/sh' '[ -e /tmp/hook-ran ] && exit 0'"
                        + " 'touch /tmp/hook-ran' '" + HANG + "' > ~/live/.git/hooks/post-checkout"
                        + " && chmod 755 ~/live/.git/hooks/post-checkout && rm -f /tmp/hook-ran\"");
        assertThat(setUp.exitCode()).as(setUp.stderr()).isZero();
        try (FakeGitHub github = FakeGitHub.start(host.releaseRepo(), FakeGitHubMain.releases(host.releaseNotes()));
                PortForward sshd = host.forward(info.sshPort())) {
            FlowUpgradeStep step = new FlowUpgradeStep("127.0.0.1", "mastodon-ssh", "v4.3.1");
            step.setPort(sshd.port());
            step.setKnownHostsFile(info.knownHosts().toString());
            step.setApiUrl(github.apiUrl().toString());
            step.setConfirmManual(true);
            UpgradeTask task = new UpgradeTask(
                    target(step, new SshLogin("mastodon-ssh", "root", Files.readString(info.clientKey()), null)),
                    step.releaseRequest(),
                    null,
                    ApprovalVerdict.refused("no approval in this test"),
                    step.settings());

            Throwable cause =
                    abortWhen(task, () -> host.ssh("root", FIND_HANG).out().equals("running"));

            assertThat(cause).hasMessage("aborted by alice");
        } finally {
            host.ssh("root", "rm -f /home/mastodon/live/.git/hooks/post-checkout /tmp/hook-ran");
        }
        assertThat(host.ssh("root", FIND_HANG).out())
                .as("the hook still runs on the host")
                .isEqualTo("none");
        assertThat(host.ssh("root", "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free")
                        .out())
                .isEqualTo("free");
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isIn("v4.2.0", "v4.3.1");
        assertTrail("127.0.0.1");
    }

    private HostTarget target(HostStep step, SshLogin login) {
        return new HostTarget(
                log.listener(),
                step.hostRequest(),
                login,
                new BuildInfo("upgrade#9", null),
                dir.resolve("ws").resolve(Workspaces.FLOW_DIR).toString());
    }

    /** Runs {@code task} as a step does, and aborts the build once {@code running} says the remote command hangs. */
    private Throwable abortWhen(AgentTask task, BooleanSupplier running) throws Exception {
        Files.createDirectories(dir.resolve("ws").resolve(Workspaces.FLOW_DIR));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StepRun run = new StepRun();
        run.start(threads, r -> r.callAgent(agent, task), new StepRun.Outcome() {
            @Override
            public void succeeded(Map<String, Object> result) {
                ended.completeExceptionally(new AssertionError("succeeded: " + result));
            }

            @Override
            public void failed(Throwable cause) {
                ended.complete(cause);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!running.getAsBoolean()) {
            assertThat(ended)
                    .as("the step ended before its command hung: " + log.log())
                    .isNotDone();
            assertThat(System.nanoTime()).as("the remote command started").isLessThan(deadline);
            Thread.sleep(200);
        }
        long abortedAt = System.nanoTime();

        assertThat(run.stop(new InterruptedException("aborted by alice"), threads))
                .isTrue();

        Throwable cause = ended.get(90, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - abortedAt) / 1_000_000_000)
                .as("ended by the abort, not by the command's ten-minute limit")
                .isLessThan(60);
        return cause;
    }

    /** The trail is closed, intact, and records the stop sent to the host and the build's abort. */
    private void assertTrail(String host) throws Exception {
        Path trail = dir.resolve("ws").resolve(Workspaces.FLOW_DIR).resolve(Workspaces.auditFileName(host));
        assertThat(AuditVerifier.verify(trail)).isInstanceOf(AuditVerification.Intact.class);
        List<AuditEvent> events = AuditEvent.readAll(trail);
        assertThat(events)
                .anySatisfy(e ->
                        assertThat(String.valueOf(e.fields().get("command"))).contains("pkill -TERM -f"));
        AuditEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo("run.finished");
        assertThat(String.valueOf(last.fields().get("error"))).startsWith("the build was aborted");
        assertThat(log.log()).contains("audit trail: ");
    }

    private static void hangOnce(Path hook, Path once) throws Exception {
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\n[ -e '" + once + "' ] && exit 0\ntouch '" + once + "'\n" + HANG + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
