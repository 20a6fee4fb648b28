package io.github.flowupgrade.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.TestHost.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The nspawn test host is the Mastodon-shaped server the end-to-end tests need, reached over verified SSH. */
@Tag("testhost")
@ExtendWith(TestHost.class)
@Timeout(120)
class TestHostTest {
    private static final String UNITS = "mastodon-web mastodon-sidekiq mastodon-streaming";

    @Test
    void theThreeUnitsAreActiveOverSshWithTheHostKeyVerified(TestHost host) {
        Result result = host.ssh("root", "systemctl is-active " + UNITS);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.out().lines()).containsExactly("active", "active", "active");
        assertThat(host.info().hostKeyFingerprint()).startsWith("SHA256:");
        assertThat(host.exec(
                                "ssh-keygen",
                                "-l",
                                "-E",
                                "sha256",
                                "-f",
                                host.info().knownHosts().toString())
                        .out())
                .contains(host.info().hostKeyFingerprint());
    }

    @Test
    void aWrongHostKeyIsRefused(TestHost host, @TempDir Path dir) throws IOException {
        Path otherKey = dir.resolve("other");
        assertThat(host.exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString())
                        .exitCode())
                .isZero();
        Path knownHosts = dir.resolve("known_hosts");
        String[] publicKey = Files.readString(dir.resolve("other.pub")).split(" ");
        Files.writeString(knownHosts, host.info().sshHost() + " " + publicKey[0] + " " + publicKey[1] + "\n");

        Result result = host.exec(host.sshCommand(knownHosts, "root", "true"));

        assertThat(result.exitCode()).isEqualTo(255);
        assertThat(result.stderr()).contains("HOST IDENTIFICATION HAS CHANGED");
    }

    @Test
    void everyLoginWorksByKeyAndDeployHasOnlyItsSudoRules(TestHost host) {
        assertThat(host.ssh("mastodon", "id -un").out()).isEqualTo("mastodon");
        assertThat(host.ssh("deploy", "sudo -n systemctl is-active mastodon-web")
                        .out())
                .isEqualTo("active");
        assertThat(host.ssh("deploy", "sudo -n -u mastodon git -C /home/mastodon/live describe --tags")
                        .out())
                .isEqualTo("v4.2.0");
        assertThat(host.ssh("deploy", "sudo -n systemctl restart ssh").exitCode())
                .isNotZero();
        assertThat(host.ssh("deploy", "sudo -n cat /etc/shadow").exitCode()).isNotZero();
    }

    @Test
    void webAnswersHealthAndVersionInsideTheNamespace(TestHost host) {
        String web = "http://127.0.0.1:" + host.info().webPort();

        assertThat(host.exec("curl", "-fsS", "-m", "5", web + "/health").stdout())
                .isEqualTo("OK");
        assertThat(host.exec("curl", "-fsS", "-m", "5", web + "/version").out()).isEqualTo("v4.2.0");
        assertThat(host.exec(
                                "curl",
                                "-fsS",
                                "-m",
                                "5",
                                "http://127.0.0.1:" + host.info().streamingPort() + "/api/v1/streaming/health")
                        .stdout())
                .isEqualTo("OK");
    }

    @Test
    void aReloadOfWebDuringAHealthLoopLosesNoRequest(TestHost host, @TempDir Path dir) throws Exception {
        int generationBefore = webGeneration(host);
        Path stop = dir.resolve("stop");
        // One process in the namespace: at least 200 requests, and on until the reloads are done.
        String loop = "n=0; failed=0; while [ $n -lt 200 ] || [ ! -e '" + stop + "' ]; do n=$((n+1));"
                + " [ \"$(curl -sS -m 5 http://127.0.0.1:" + host.info().webPort() + "/health)\" = OK ]"
                + " || failed=$((failed+1)); done; echo \"requests=$n failed=$failed\"";
        Process requests = host.start("bash", "-c", loop);
        CompletableFuture<String> report = CompletableFuture.supplyAsync(() -> read(requests));

        Thread.sleep(300);
        Result reloads = host.ssh("root", "for i in 1 2 3 4 5; do systemctl reload mastodon-web; sleep 0.3; done");
        Files.createFile(stop);

        assertThat(requests.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(reloads.exitCode()).as(reloads.stderr()).isZero();
        Matcher counts = Pattern.compile("requests=(\\d+) failed=(\\d+)").matcher(report.get());
        assertThat(counts.find()).as(report.get()).isTrue();
        assertThat(Integer.parseInt(counts.group(1))).isGreaterThanOrEqualTo(200);
        assertThat(Integer.parseInt(counts.group(2))).as("failed requests").isZero();
        // The reloads really re-executed the server: five new generations, one process.
        assertThat(webGeneration(host)).isEqualTo(generationBefore + 5);
    }

    @Test
    void aRestartOfStreamingDropsAnOpenStream(TestHost host) throws Exception {
        Process stream =
                host.start("curl", "-sSN", "http://127.0.0.1:" + host.info().streamingPort() + "/api/v1/streaming");
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).startsWith(":heartbeat");
            assertThat(stream.waitFor(1, TimeUnit.SECONDS))
                    .as("stream still open before the restart")
                    .isFalse();

            Result restart = host.ssh("root", "systemctl restart mastodon-streaming");

            assertThat(restart.exitCode()).as(restart.stderr()).isZero();
            assertThat(stream.waitFor(10, TimeUnit.SECONDS))
                    .as("stream ended by the restart")
                    .isTrue();
            // systemctl returns once the new process runs (Type=simple), a moment before it listens.
            assertThat(answersWithin10Seconds(
                            host, "http://127.0.0.1:" + host.info().streamingPort() + "/api/v1/streaming/health"))
                    .isTrue();
        } finally {
            stream.destroyForcibly();
        }
    }

    @Test
    void theAppUserSeesTheCheckoutAtTheInitialTag(TestHost host) {
        Result describe = host.ssh("root", "su - mastodon -c 'git -C ~/live describe --tags'");

        assertThat(describe.out()).isEqualTo("v4.2.0");
        assertThat(host.info().tags())
                .extracting(TestHostInfo.Tag::name)
                .containsExactly("v4.2.0", "v4.2.1", "v4.3.0-rc.1", "v4.3.0", "v4.3.1");
    }

    @Test
    void aRestartOfSidekiqGivesANewMainPid(TestHost host) {
        String mainPid = "systemctl show -p MainPID --value mastodon-sidekiq";
        String before = host.ssh("root", mainPid).out();

        Result restart = host.ssh("root", "systemctl restart mastodon-sidekiq");
        String after = host.ssh("root", mainPid).out();

        assertThat(restart.exitCode()).as(restart.stderr()).isZero();
        assertThat(before).isNotIn("", "0");
        assertThat(after).isNotIn("", "0", before);
    }

    @Test
    void resetUndoesACheckoutAndRemovesTheLock(TestHost host) {
        Result dirty = host.ssh(
                "mastodon",
                "cd ~/live && git checkout -q v4.3.0 && echo local >> Gemfile && mkdir -p ~/.flow-upgrade/lock");
        assertThat(dirty.exitCode()).as(dirty.stderr()).isZero();

        host.reset();

        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags --dirty").out())
                .isEqualTo("v4.2.0");
        assertThat(host.ssh("mastodon", "test -e ~/.flow-upgrade").exitCode()).isEqualTo(1);
        assertThat(host.ssh("root", "systemctl is-active " + UNITS).exitCode()).isZero();
    }

    private static boolean answersWithin10Seconds(TestHost host, String url) {
        String poll =
                "for i in $(seq 200); do curl -fsS -m 2 -o /dev/null '" + url + "' && exit 0; sleep 0.05; done; exit 1";
        return host.exec("bash", "-c", poll).exitCode() == 0;
    }

    private static int webGeneration(TestHost host) {
        String headers = host.exec(
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
