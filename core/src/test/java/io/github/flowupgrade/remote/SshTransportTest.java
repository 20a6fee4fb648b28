package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.TimeLimit;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("ssh")
class SshTransportTest {
    private static final Duration LIMIT_2S = Duration.ofSeconds(2);

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static EmbeddedSshServer server;

    @BeforeAll
    static void start() {
        server = EmbeddedSshServer.start(dir.resolve("server"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SshTransport connect(ConnectionSettings settings) {
        return SshTransport.connect(server.target("deploy"), settings, Console.silent());
    }

    @Test
    void runsACommandWithTheHostKeyVerifiedAgainstKnownHosts() {
        List<String> lines = new ArrayList<>();
        try (SshTransport ssh = connect(server.settings())) {
            ExecResult result = ssh.run(
                    Command.of("sh", "-c", "echo one; echo oops >&2; printf 'two\\nthree'; exit 3"),
                    (stream, line) -> lines.add(stream + ":" + line),
                    LIMIT);
            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.timedOut()).isFalse();
            assertThat(result.stdout()).isEqualTo("one\ntwo\nthree\n");
            assertThat(result.stderrTail()).isEqualTo("oops");
            assertThat(result.outputBytes()).isEqualTo("one\noops\ntwo\nthree".length());
            assertThat(lines).contains("STDOUT:one", "STDOUT:two", "STDOUT:three", "STDERR:oops");
        }
    }

    @Test
    void acceptsAPinnedFingerprintAndAHashedKnownHostsEntry() throws Exception {
        ConnectionSettings pinned = new ConnectionSettings(
                server.settings().identity(), new HostKeyPolicy.Pinned(List.of(server.hostKeyFingerprint())));
        try (SshTransport ssh = connect(pinned)) {
            assertThat(ssh.run(Command.of("echo", "pinned"), OutputSink.discard(), LIMIT)
                            .stdout())
                    .isEqualTo("pinned\n");
        }
        Path hashed = dir.resolve("hashed_known_hosts");
        Files.copy(server.knownHosts(), hashed);
        LocalProcess.run("ssh-keygen", "-q", "-H", "-f", hashed.toString());
        assertThat(Files.readString(hashed)).startsWith("|1|").doesNotContain("127.0.0.1");
        ConnectionSettings hashedSettings =
                new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.KnownHosts(hashed));
        try (SshTransport ssh = connect(hashedSettings)) {
            assertThat(ssh.run(Command.of("echo", "hashed"), OutputSink.discard(), LIMIT)
                            .stdout())
                    .isEqualTo("hashed\n");
        }
    }

    @Test
    void refusesAnUnknownHostKeyAndShowsHowToPinIt() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");
        ConnectionSettings settings =
                new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.KnownHosts(empty));
        assertThatThrownBy(() -> connect(settings))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("is not known")
                .hasMessageContaining("ssh-ed25519 " + server.hostKeyFingerprint())
                .hasMessageContaining("host-key " + server.hostKeyFingerprint())
                .extracting(e -> ((FlowException) e).exitCode())
                .isEqualTo(ExitCode.REFUSED);
    }

    @Test
    void refusesAChangedHostKey() throws Exception {
        SshKeys other = SshKeys.generate(dir.resolve("other"), "other_host_key");
        Path changed = Files.writeString(
                dir.resolve("changed_known_hosts"), other.knownHostsLine("127.0.0.1", server.port()) + "\n");
        ConnectionSettings settings =
                new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.KnownHosts(changed));
        assertThatThrownBy(() -> connect(settings))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("has CHANGED")
                .hasMessageContaining(server.hostKeyFingerprint())
                .hasMessageContaining("man-in-the-middle")
                .extracting(e -> ((FlowException) e).exitCode())
                .isEqualTo(ExitCode.REFUSED);

        ConnectionSettings wrongPin = new ConnectionSettings(
                server.settings().identity(), new HostKeyPolicy.Pinned(List.of(other.fingerprint())));
        assertThatThrownBy(() -> connect(wrongPin))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("does not match the pinned fingerprint " + other.fingerprint())
                .hasMessageContaining("offered ssh-ed25519 " + server.hostKeyFingerprint());
    }

    @Test
    void acceptAnyIsLoudlyWarned() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Console console = new Console() {
            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {
                warnings.add(message);
            }
        };
        ConnectionSettings any =
                new ConnectionSettings(server.settings().identity(), new HostKeyPolicy.AcceptAnyInsecure());
        try (SshTransport ssh = SshTransport.connect(server.target("deploy"), any, console)) {
            assertThat(ssh.run(Command.of("true"), OutputSink.discard(), LIMIT).succeeded())
                    .isTrue();
        }
        assertThat(warnings).singleElement().asString().contains("host key verification is OFF");
    }

    @Test
    void keysWithPassphraseFromFileAndFromContent() throws Exception {
        SshKeys protectedKey = SshKeys.generate(dir.resolve("protected"), "id_protected", "correct horse");
        Files.writeString(
                dir.resolve("server/authorized_keys"),
                server.clientKey().publicLine() + "\n" + protectedKey.publicLine() + "\n");
        HostKeyPolicy keys = new HostKeyPolicy.KnownHosts(server.knownHosts());
        SshIdentity fromFile = SshIdentity.fromFile(protectedKey.privateKey(), "correct horse".toCharArray());
        try (SshTransport ssh = connect(new ConnectionSettings(fromFile, keys))) {
            assertThat(ssh.run(Command.of("echo", "ok"), OutputSink.discard(), LIMIT)
                            .stdout())
                    .isEqualTo("ok\n");
        }
        // The same identity connects twice: the passphrase was not blanked by the first use.
        try (SshTransport ssh = connect(new ConnectionSettings(fromFile, keys))) {
            assertThat(ssh.executes()).isTrue();
        }
        SshIdentity fromContent =
                SshIdentity.fromContent(Files.readString(protectedKey.privateKey()), "correct horse".toCharArray());
        try (SshTransport ssh = connect(new ConnectionSettings(fromContent, keys))) {
            assertThat(ssh.run(Command.of("echo", "ok"), OutputSink.discard(), LIMIT)
                            .succeeded())
                    .isTrue();
        }
        SshIdentity wrong = SshIdentity.fromFile(protectedKey.privateKey(), "Tr0ub4dor&3".toCharArray());
        assertThatThrownBy(() -> connect(new ConnectionSettings(wrong, keys)))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("wrong passphrase")
                .hasMessageNotContaining("Tr0ub4dor")
                .extracting(e -> ((FlowException) e).exitCode())
                .isEqualTo(ExitCode.BAD_INPUT);
        assertThat(fromContent.toString()).doesNotContain("OPENSSH").doesNotContain("correct");
    }

    @Test
    void aCommandTimeoutStopsTheRemoteProcessAndItsChildren() throws Exception {
        String marker = "sleep 987" + ProcessHandle.current().pid() % 10;
        try (SshTransport ssh = connect(server.settings())) {
            // Callers put the limit into the line (HostShell does, innermost): the transport reports it.
            ExecResult result = ssh.run(
                    TimeLimit.wrap(new Command(marker + "; echo finished", marker + "; echo finished"), LIMIT_2S),
                    OutputSink.discard(),
                    LIMIT_2S);
            assertThat(result.timedOut()).isTrue();
            assertThat(result.exitCode()).isEqualTo(124);
            assertThat(result.stdout()).doesNotContain("finished");
            assertThat(result.durationMs()).isBetween(1900L, 8000L);
        }
        Thread.sleep(300);
        assertThat(LocalProcess.anyProcessContains(marker))
                .as("remote sleep still running")
                .isFalse();
    }

    @Test
    void streamsALargeOutputWithBoundedMemory() {
        long total = 64L * 1024 * 1024;
        AtomicLong lines = new AtomicLong();
        AtomicLong chars = new AtomicLong();
        String word = "0123456789".repeat(9) + "abcdefghi"; // 99 characters: 100 bytes a line
        String pipeline = "yes " + word + " | head -c " + total;
        String expectedSha =
                LocalProcess.run("sh", "-c", pipeline + " | sha256sum").split(" ")[0];
        try (SshTransport ssh = connect(server.settings())) {
            ExecResult result = ssh.run(
                    new Command(pipeline, pipeline),
                    (stream, line) -> {
                        lines.incrementAndGet();
                        chars.addAndGet(line.length() + 1);
                    },
                    Duration.ofSeconds(120));
            assertThat(result.succeeded()).isTrue();
            assertThat(result.outputBytes()).isEqualTo(total);
            assertThat(result.outputSha256()).isEqualTo(expectedSha);
            assertThat(result.stdout().length()).isLessThanOrEqualTo(1024 * 1024);
            assertThat(lines.get()).isEqualTo((total + 99) / 100); // the partial last line too
            assertThat(chars.get()).isEqualTo(total + 1); // + the newline counted for the partial last line
        }
    }

    @Test
    void reusesOneConnectionForManyCommands() {
        int before = server.connections();
        long connectStart = System.nanoTime();
        try (SshTransport ssh = connect(server.settings())) {
            long connectMs = (System.nanoTime() - connectStart) / 1_000_000;
            long[] execMicros = new long[30];
            for (int i = 0; i < execMicros.length; i++) {
                long start = System.nanoTime();
                assertThat(ssh.run(Command.of("true"), OutputSink.discard(), LIMIT)
                                .succeeded())
                        .isTrue();
                execMicros[i] = (System.nanoTime() - start) / 1000;
            }
            Arrays.sort(execMicros);
            System.out.printf(
                    "embedded sshd: connect+auth %d ms, exec on the reused connection median %.1f ms%n",
                    connectMs, execMicros[execMicros.length / 2] / 1000.0);
            assertThat(execMicros[execMicros.length / 2]).isLessThan(500_000);
        }
        assertThat(server.connections() - before).isEqualTo(1);
    }

    @Test
    void aDeadHostIsANetworkError() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> SshTransport.connect(
                        new SshTarget("127.0.0.1", port, "deploy"), server.settings(), Console.silent()))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + port)
                .extracting(e -> ((FlowException) e).exitCode())
                .isEqualTo(ExitCode.NETWORK);
    }

    @Test
    void dryRunPrintsAndRunsNothing() {
        List<String> printed = new ArrayList<>();
        Console console = new Console() {
            @Override
            public void info(String message) {
                printed.add(message);
            }

            @Override
            public void warn(String message) {}
        };
        DryRunTransport dry = new DryRunTransport("web1", console);
        ExecResult result = dry.run(new Command("echo secret", "echo ***"), OutputSink.discard(), LIMIT);
        assertThat(result.succeeded()).isTrue();
        assertThat(printed).containsExactly("[web1] would run: echo ***");
        assertThat(Map.of("executes", dry.executes())).containsEntry("executes", false);
    }
}
