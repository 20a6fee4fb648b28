package io.github.flowupgrade.upgrade.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.PathCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.OpenSshServer;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The transport and the checkout against Debian's OpenSSH, with real users and the three run-as modes. */
@Tag("openssh")
class OpenSshCheckoutTest {
    private static final String APP = "flowapp";
    private static final String DEPLOY = "flowdeploy";
    private static final String NO_PASSWORDLESS_SUDO = "flownopw";

    static OpenSshServer server;

    @BeforeAll
    static void start() {
        server = OpenSshServer.start(
                List.of(APP, DEPLOY, NO_PASSWORDLESS_SUDO, "root"),
                List.of(DEPLOY + " ALL=(" + APP + ") NOPASSWD: ALL", NO_PASSWORDLESS_SUDO + " ALL=(" + APP + ") ALL"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static SshTransport connect(String login) {
        return SshTransport.connect(server.target(login), server.settings(), Console.silent());
    }

    /** A fresh upstream and working tree owned by the application user, in a directory of its own. */
    private static GitRepos repos(TestInfo test) {
        Path base = server.home(APP).resolve(test.getTestMethod().orElseThrow().getName());
        GitRepos repos = GitRepos.create(base.resolve("git"), base.resolve("live"));
        repos.chownTo(APP);
        LocalProcess.run(
                "chown", APP + ":", base.toString(), base.resolve("git").toString());
        return repos;
    }

    private static CheckoutResult checkout(String login, RunAs runAs, GitRepos repos, String tag) {
        CheckoutOperation operation = new CheckoutOperation(
                host -> connect(login),
                login,
                runAs,
                Duration.ofSeconds(60),
                new RecordingAuditLog(),
                Console.silent(),
                Clock.systemUTC());
        CheckoutRequest request = new CheckoutRequest(
                repos.workTree().toString(), ReleaseTag.ofNullable(tag), null, false, false, "tester@ci", null);
        return operation.run(List.of("127.0.0.1"), request, 1).get(0);
    }

    @Test
    void runsACommandWithTheHostKeyVerified() {
        try (SshTransport ssh = connect(APP)) {
            ExecResult result = ssh.run(PathCommands.whoami(), OutputSink.discard(), Duration.ofSeconds(10));
            assertThat(result.stdout()).as(server.log()).isEqualTo(APP + "\n");
        }
    }

    @Test
    void refusesUnknownAndChangedHostKeys() throws Exception {
        Path empty = Files.writeString(server.dir().resolve("empty_known_hosts"), "");
        assertThatThrownBy(() -> SshTransport.connect(
                        server.target(APP),
                        new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.KnownHosts(empty)),
                        Console.silent()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("is not known")
                .hasMessageContaining("host-key " + server.hostKey().fingerprint());
        SshKeys other = SshKeys.generate(server.dir().resolve("other"), "other_key");
        Path changed = Files.writeString(
                server.dir().resolve("changed_known_hosts"), other.knownHostsLine("127.0.0.1", server.port()) + "\n");
        assertThatThrownBy(() -> SshTransport.connect(
                        server.target(APP),
                        new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.KnownHosts(changed)),
                        Console.silent()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("has CHANGED")
                .extracting(e -> ((FlowException) e).exitCode())
                .isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void checksOutAsTheApplicationUserDirectly(TestInfo test) {
        GitRepos repos = repos(test);
        CheckoutResult first = checkout(APP, RunAs.of("direct", APP), repos, "v4.3.0");
        assertThat(first.status()).as(first.error()).isEqualTo("checked-out");
        assertThat(first.changed())
                .isEqualTo(new ChangedAreas(true, true, true, true, true, List.of("streaming/index.js")));
        CheckoutResult second = checkout(APP, RunAs.of("direct", APP), repos, "v4.3.1");
        assertThat(second.current()).isEqualTo(new Revision(repos.commitOf("v4.3.1"), "v4.3.1"));
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));

        byte[] patched = repos.dirtyTrackedFile("Gemfile");
        CheckoutResult refused = checkout(APP, RunAs.of("direct", APP), repos, "v4.2.1");
        assertThat(refused.status()).isEqualTo("refused");
        assertThat(refused.error()).contains("Gemfile");
        assertThat(repos.workTree().resolve("Gemfile")).hasBinaryContent(patched);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
    }

    @Test
    void checksOutThroughSuFromRoot(TestInfo test) {
        GitRepos repos = repos(test);
        CheckoutResult result = checkout("root", RunAs.of("su", APP), repos, "v4.3.1");
        assertThat(result.status()).as(result.error()).isEqualTo("checked-out");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        // The state directory was made by the application user, not by root.
        assertThat(LocalProcess.run(
                                "stat",
                                "-c",
                                "%U",
                                repos.workTree().resolveSibling(".flow-upgrade").toString())
                        .strip())
                .isEqualTo(APP);
    }

    @Test
    void refusesAWorkingTreeTheApplicationUserDoesNotOwn(TestInfo test) {
        GitRepos repos = repos(test);
        LocalProcess.run("chown", "root:", repos.workTree().toString());
        CheckoutResult result = checkout("root", RunAs.of("su", APP), repos, "v4.3.1");
        assertThat(result.status()).isEqualTo("refused");
        assertThat(result.error()).contains("belongs to \"root\"");
    }

    @Test
    void checksOutThroughSudoFromADeployUser(TestInfo test) {
        OpenSshServer.requireSudo();
        GitRepos repos = repos(test);
        CheckoutResult result = checkout(DEPLOY, RunAs.of("sudo", APP), repos, "v4.3.1");
        assertThat(result.status()).as(result.error()).isEqualTo("checked-out");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
    }

    @Test
    void aSudoThatWantsAPasswordFailsFastWithAClearMessage(TestInfo test) {
        OpenSshServer.requireSudo();
        GitRepos repos = repos(test);
        long started = System.nanoTime();
        CheckoutResult result = checkout(NO_PASSWORDLESS_SUDO, RunAs.of("sudo", APP), repos, "v4.3.1");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(10_000);
        assertThat(result.status()).isEqualTo("failed");
        assertThat(result.exitCode()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
        assertThat(result.error()).contains("sudo asked " + NO_PASSWORDLESS_SUDO + " for a password");
        assertThat(repos.head()).isEqualTo(repos.commitOf(GitRepos.FIRST));
    }

    @Test
    void aTimeoutUnderSuStopsTheCommandsItStarted() throws Exception {
        String marker = "sleep 9876";
        try (SshTransport ssh = connect("root")) {
            HostShell shell = new HostShell(
                    new HostAccess(ssh, "root", RunAs.of("su", APP), "/tmp"),
                    Duration.ofSeconds(2),
                    new RecordingAuditLog(),
                    Console.silent());
            ExecResult result = shell.app(new Command(marker + "; echo finished", marker + "; echo finished"));
            assertThat(result.timedOut()).isTrue();
            assertThat(result.stdout()).doesNotContain("finished");
        }
        Thread.sleep(500);
        assertThat(LocalProcess.anyProcessContains(marker))
                .as("the remote sleep still runs")
                .isFalse();
    }

    @Test
    void measuresConnectAndExecOnAReusedConnection() {
        long[] connects = new long[5];
        long[] execs = new long[30];
        for (int c = 0; c < connects.length; c++) {
            long start = System.nanoTime();
            try (SshTransport ssh = connect(APP)) {
                connects[c] = (System.nanoTime() - start) / 1000;
                if (c == connects.length - 1) {
                    ssh.run(Command.of("true"), OutputSink.discard(), Duration.ofSeconds(10));
                    for (int i = 0; i < execs.length; i++) {
                        long s = System.nanoTime();
                        assertThat(ssh.run(Command.of("true"), OutputSink.discard(), Duration.ofSeconds(10))
                                        .succeeded())
                                .isTrue();
                        execs[i] = (System.nanoTime() - s) / 1000;
                    }
                }
            }
        }
        Arrays.sort(connects);
        Arrays.sort(execs);
        System.out.printf(
                "OpenSSH: connect+kex+auth median %.1f ms; exec on a reused connection median %.1f ms%n",
                connects[connects.length / 2] / 1000.0, execs[execs.length / 2] / 1000.0);
        assertThat(execs[execs.length / 2]).isLessThan(500_000);
    }
}
