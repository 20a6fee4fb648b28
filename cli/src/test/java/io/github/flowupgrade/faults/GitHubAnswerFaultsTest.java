package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.cli.FlowCommand;
import io.github.flowupgrade.testing.HostileHttpServer;
import io.github.flowupgrade.testing.HostileHttpServer.Behaviour;
import io.github.flowupgrade.testing.SilentServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 5 and 6, on the whole {@code flow} process: a GitHub answer that never ends, one that announces 10
 * GiB, one that trickles a byte every two seconds, a server that never answers at all (stopped by a signal), and a
 * token for a plain-http API elsewhere. The process runs in
 * its own JVM with a 128 MiB heap, as an operator runs it, so that running out of memory would show.
 */
class GitHubAnswerFaultsTest {
    @TempDir
    Path dir;

    record Exit(int code, String err, Duration took, long peakRssKib) {}

    private Exit fetchRelease(HostileHttpServer api, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                FlowCommand.class.getName(),
                "fetch-release",
                "--app",
                "mastodon",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                api.url().toString(),
                "--cache-dir",
                dir.resolve("cache").toString()));
        command.addAll(List.of(extra));
        Path err = dir.resolve("err.txt");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(err.toFile())
                .start();
        long peak = 0;
        long deadline = started + TimeUnit.SECONDS.toNanos(90);
        while (process.isAlive() && System.nanoTime() < deadline) {
            peak = Math.max(peak, rssKib(process.pid()));
            Thread.sleep(50);
        }
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("flow still running after 90 s: " + Files.readString(err));
        }
        return new Exit(
                process.exitValue(), Files.readString(err), Duration.ofNanos(System.nanoTime() - started), peak);
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // The process ended between two looks.
        }
        return 0;
    }

    @Test
    void anAnswerThatNeverEndsIsCutOffAtTheSizeBoundWithExitFive() throws Exception {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.ENDLESS)) {
            Exit exit = fetchRelease(api);
            System.out.printf(
                    "endless answer: exit %d after %d ms, %d MiB sent, peak RSS %d MiB%n",
                    exit.code(), exit.took().toMillis(), api.bytesSent() >> 20, exit.peakRssKib() >> 10);
            assertThat(exit.code()).as(exit.err()).isEqualTo(5);
            assertThat(exit.err())
                    .contains("flow: the GitHub API at " + api.url())
                    .contains("with more than 32 MiB (it went on past 33554432 bytes)");
            assertThat(exit.took()).isLessThan(Duration.ofSeconds(30));
            assertThat(api.requests()).as("not retried").isEqualTo(1);
        }
    }

    @Test
    void anAnswerThatAnnouncesTenGibibytesIsRefusedBeforeItIsRead() throws Exception {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.HUGE_LENGTH)) {
            Exit exit = fetchRelease(api);
            assertThat(exit.code()).as(exit.err()).isEqualTo(5);
            assertThat(exit.err()).contains("with more than 32 MiB (it announced 10737418240 bytes)");
            assertThat(api.bytesSent())
                    .as("bytes the server got out before the client hung up")
                    .isLessThan(32L << 20);
        }
    }

    @Test
    void anAnswerThatTricklesEndsAtTheTimeoutAndASignalStopsItAtOnce() throws Exception {
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.TRICKLE)) {
            Exit exit = fetchRelease(api, "--timeout", "2");
            // 3 tries of 2 s, 1 s and 2 s apart.
            assertThat(exit.code()).as(exit.err()).isEqualTo(5);
            assertThat(exit.err()).contains("did not answer within 2000 ms (3 tries)");
            assertThat(exit.took()).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(20));
        }
        try (HostileHttpServer api = HostileHttpServer.start(Behaviour.TRICKLE)) {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    FlowCommand.class.getName(),
                    "fetch-release",
                    "--app",
                    "mastodon",
                    "--tag",
                    "v4.3.1",
                    "--api-url",
                    api.url().toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("signalled.txt").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (api.bytesSent() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.bytesSent()).as("the answer started").isPositive();
            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(5, TimeUnit.SECONDS))
                    .as("flow ended within 5 s of SIGTERM (default --timeout 20)")
                    .isTrue();
            System.out.printf(
                    "trickling answer: SIGTERM to exit %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
            assertThat(Files.readString(dir.resolve("signalled.txt")))
                    .contains("flow: interrupted: the request for " + api.url());
        }
    }

    @Test
    void aSignalStopsARequestStillWaitingForItsHeadersAtOnce() throws Exception {
        // The case: a server that takes the request and never answers, then SIGTERM, as GitHub's runner sends
        // it (and kills 10 s later). The JDK's client ends no such wait when cancelled: flow used to sit out the 30 s
        // grace of its stop hook.
        try (SilentServer api = SilentServer.start()) {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    FlowCommand.class.getName(),
                    "upgrade",
                    "--tag",
                    "v4.3.1",
                    "--from",
                    "v4.2.0",
                    "--dry-run",
                    "--host",
                    "a.example",
                    "--api-url",
                    api.url().toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString());
            Path output = dir.resolve("silent.txt");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (api.requests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(api.requests()).as("the request reached the server").isEqualTo(1);
            Thread.sleep(1000); // waiting for the status line
            long signalled = System.nanoTime();
            process.destroy(); // SIGTERM
            boolean ended = process.waitFor(5, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            assertThat(ended)
                    .as("flow ended within 5 s of SIGTERM (default --timeout 20): " + Files.readString(output))
                    .isTrue();
            System.out.printf(
                    "silent server: SIGTERM to exit %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
            assertThat(Files.readString(output))
                    .contains("flow: interrupted: the request for " + api.url() + "/repos/mastodon/mastodon/releases");
            assertThat(api.requests()).as("not retried").isEqualTo(1);
        }
    }

    @Test
    void aTokenForAPlainHttpApiElsewhereIsRefusedBeforeAnyRequest() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                new String[] {
                    "fetch-release",
                    "--app",
                    "mastodon",
                    "--tag",
                    "v4.3.1",
                    "--api-url",
                    "http://github.example.invalid",
                    "--token-env",
                    "PATH"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("flow: refusing to send the GitHub token over plain http to github.example.invalid")
                .doesNotContain(System.getenv("PATH"));
    }
}
