package io.github.flowupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.testing.TestHost.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code testhost up --app flow}: the Flow-shaped host, as Flow's guide describes the server. Everything Mastodon's
 * host has, under Flow's names, and nothing under Mastodon's, so a run that fell back to a Mastodon default fails.
 */
@Tag("testhost")
@Timeout(120)
class FlowTestHostTest {
    @RegisterExtension
    static final TestHost FLOW = TestHost.forApp("flow");

    private static final String UNITS = "flow-web flow-sidekiq flow-streaming";

    @Test
    void theFlowUnitsRunAndNothingIsNamedMastodon() {
        TestHostInfo info = FLOW.info();
        assertThat(info.app()).isEqualTo("flow");
        assertThat(info.appUser()).isEqualTo("flow");
        assertThat(info.appDir()).isEqualTo("/home/flow/live");
        assertThat(info.services()).containsExactly("flow-web", "flow-sidekiq", "flow-streaming");
        assertThat(info.logins()).containsExactly("root", "flow", "deploy");

        Result active = FLOW.ssh("root", "systemctl is-active " + UNITS);
        assertThat(active.exitCode()).as(active.stderr()).isZero();
        assertThat(active.out().lines()).containsExactly("active", "active", "active");
        Result units = FLOW.ssh(
                "root",
                "systemctl show -p User -p WorkingDirectory --value " + UNITS
                        + "; systemctl list-unit-files --no-legend 'mastodon*'; getent passwd mastodon;"
                        + " ls -d /home/mastodon /srv/upstream/mastodon.git /opt/fakemastodon 2>&1;"
                        + " grep -rl mastodon /etc/systemd /etc/sudoers.d /etc/gitconfig /etc/passwd /etc/group");
        assertThat(units.out().lines().filter(l -> !l.isBlank()))
                .containsExactly(
                        "/home/flow/live", // systemctl shows WorkingDirectory before User
                        "flow",
                        "/home/flow/live",
                        "flow",
                        "/home/flow/live",
                        "flow",
                        "ls: cannot access '/home/mastodon': No such file or directory",
                        "ls: cannot access '/srv/upstream/mastodon.git': No such file or directory",
                        "ls: cannot access '/opt/fakemastodon': No such file or directory");
    }

    @Test
    void theFlowUserHasItsCheckoutAtTheFirstTagOfAnUpstreamOnMaster() {
        Result live = FLOW.ssh(
                "flow",
                "id -un; cd ~/live && pwd && git describe --tags && git ls-remote --symref origin HEAD | head -1");

        assertThat(live.exitCode()).as(live.stderr()).isZero();
        assertThat(live.out().lines())
                .containsExactly("flow", "/home/flow/live", "v4.2.0", "ref: refs/heads/master\tHEAD");
        assertThat(FLOW.info().upstream().url()).isEqualTo("/srv/upstream/flow.git");
        assertThat(FLOW.info().upstream().defaultBranch()).isEqualTo("master");
        assertThat(FLOW.info().tags())
                .extracting(TestHostInfo.Tag::name)
                .containsExactly("v4.2.0", "v4.2.1", "v4.3.0-rc.1", "v4.3.0", "v4.3.1", "v4.4.0");
        // The web double reads the version from its unit's directory: Flow's checkout.
        assertThat(FLOW.exec("curl", "-fsS", "-m", "5", "http://127.0.0.1:3000/version")
                        .out())
                .isEqualTo("v4.2.0");
        assertThat(FLOW.exec("curl", "-fsS", "-m", "5", "http://127.0.0.1:4000/api/v1/streaming/health")
                        .stdout())
                .isEqualTo("OK");
    }

    @Test
    void aReloadOfFlowWebKeepsItsPidAndLosesNoRequest(@TempDir Path dir) throws Exception {
        String mainPid = "systemctl show -p MainPID --value flow-web";
        String pidBefore = FLOW.ssh("root", mainPid).out();
        int generationBefore = webGeneration();
        Path stop = dir.resolve("stop");
        String loop = "n=0; failed=0; while [ $n -lt 100 ] || [ ! -e '" + stop + "' ]; do n=$((n+1));"
                + " [ \"$(curl -sS -m 5 http://127.0.0.1:3000/health)\" = OK ] || failed=$((failed+1)); done;"
                + " echo \"requests=$n failed=$failed\"";
        Process requests = FLOW.start("bash", "-c", loop);
        CompletableFuture<String> report = CompletableFuture.supplyAsync(() -> read(requests));

        Thread.sleep(200);
        Result reloads = FLOW.ssh("root", "for i in 1 2 3; do systemctl reload flow-web; sleep 0.3; done");
        Files.createFile(stop);

        assertThat(requests.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(reloads.exitCode()).as(reloads.stderr()).isZero();
        Matcher counts = Pattern.compile("requests=(\\d+) failed=(\\d+)").matcher(report.get());
        assertThat(counts.find()).as(report.get()).isTrue();
        assertThat(Integer.parseInt(counts.group(2))).as("failed requests").isZero();
        assertThat(webGeneration()).isEqualTo(generationBefore + 3);
        assertThat(FLOW.ssh("root", mainPid).out()).isEqualTo(pidBefore).isNotIn("", "0");
    }

    @Test
    void deployMayRestartTheFlowUnitsAndActAsFlowOnly() {
        String mainPid = "systemctl show -p MainPID --value flow-sidekiq";
        String before = FLOW.ssh("root", mainPid).out();

        Result restart = FLOW.ssh("deploy", "sudo -n systemctl restart flow-sidekiq");

        assertThat(restart.exitCode()).as(restart.stderr()).isZero();
        assertThat(FLOW.ssh("root", mainPid).out()).isNotIn("", "0", before);
        assertThat(FLOW.ssh("deploy", "sudo -n -u flow git -C /home/flow/live describe --tags")
                        .out())
                .isEqualTo("v4.2.0");
        assertThat(FLOW.ssh("deploy", "sudo -n systemctl restart mastodon-web").exitCode())
                .isNotZero();
        assertThat(FLOW.ssh("deploy", "sudo -n systemctl restart ssh").exitCode())
                .isNotZero();
    }

    @Test
    void resetPutsFlowBackAtItsFirstTag() {
        Result dirty = FLOW.ssh(
                "flow",
                "cd ~/live && git checkout -q v4.4.0 && echo local >> Gemfile && mkdir -p ~/.flow-upgrade/lock");
        assertThat(dirty.exitCode()).as(dirty.stderr()).isZero();

        FLOW.reset();

        assertThat(FLOW.ssh("flow", "git -C ~/live describe --tags --dirty").out())
                .isEqualTo("v4.2.0");
        assertThat(FLOW.ssh("flow", "test -e ~/.flow-upgrade").exitCode()).isEqualTo(1);
        assertThat(FLOW.ssh("root", "systemctl is-active " + UNITS).exitCode()).isZero();
    }

    @Test
    void upAsAnotherAppIsRefusedWhileTheFlowHostRuns() throws Exception {
        Process up = new ProcessBuilder(
                        TestHost.findScript().toString(),
                        "up",
                        "--name",
                        FLOW.info().name(),
                        "--app",
                        "mastodon")
                .redirectErrorStream(true)
                .start();
        up.getOutputStream().close();
        String output = read(up);

        assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(up.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("already running as a flow host, not mastodon");
        assertThat(FLOW.ssh("root", "systemctl is-active flow-web").out()).isEqualTo("active");
    }

    @Test
    void aForwardedPortLetsThisJvmReachTheHostsSshdWithItsKeyVerified() {
        TestHostInfo info = FLOW.info();
        ConnectionSettings settings = new ConnectionSettings(
                SshIdentity.fromFile(info.clientKey(), null), new HostKeyPolicy.KnownHosts(info.knownHosts()));
        try (PortForward sshd = FLOW.forward(info.sshPort());
                Transport flow = SshTransport.connect(
                        new SshTarget("127.0.0.1", sshd.port(), "flow"), settings, Console.silent())) {
            ExecResult id = flow.run(Command.of("id", "-un"), OutputSink.discard(), Duration.ofSeconds(30));
            ExecResult live = flow.run(
                    Command.of("git", "-C", "/home/flow/live", "describe", "--tags"),
                    OutputSink.discard(),
                    Duration.ofSeconds(30));

            assertThat(sshd.port()).isNotEqualTo(info.sshPort());
            assertThat(id.stdout().strip()).as(id.stderrTail()).isEqualTo("flow");
            assertThat(live.stdout().strip()).as(live.stderrTail()).isEqualTo("v4.2.0");
        }
    }

    private static int webGeneration() {
        String headers = FLOW.exec(
                        "curl", "-fsS", "-m", "5", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:3000/health")
                .stdout();
        Matcher generation = Pattern.compile("X-Generation: (\\d+)").matcher(headers);
        assertThat(generation.find()).as(headers).isTrue();
        return Integer.parseInt(generation.group(1));
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
