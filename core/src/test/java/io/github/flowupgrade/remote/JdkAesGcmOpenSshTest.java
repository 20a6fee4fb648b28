package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.testing.OpenSshServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.NegotiatedAlgorithms;
import net.schmizz.sshj.transport.cipher.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JDK-backed AES-GCM ciphers against Debian's OpenSSH: negotiated, and 8 MiB carried intact each way. */
@Tag("openssh")
class JdkAesGcmOpenSshTest {
    private static final int SIZE = 8 * 1024 * 1024;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    static OpenSshServer server;

    @BeforeAll
    static void start() {
        // A user besides root, since the fixture lays out home directories only for the users it creates.
        server = OpenSshServer.start(List.of("flowcipher", "root"), List.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sshTransportReadsEightMiBIntact() {
        Path payload = server.dir().resolve("payload-transport");
        try (SshTransport ssh = SshTransport.connect(server.target("root"), server.settings(), Console.silent())) {
            ExecResult made = ssh.run(
                    Command.of(
                            "sh",
                            "-c",
                            "head -c " + SIZE + " /dev/urandom > \"$1\" && sha256sum < \"$1\"",
                            "sh",
                            payload.toString()),
                    OutputSink.discard(),
                    LIMIT);
            assertThat(made.exitCode()).as(made.stderrTail()).isZero();
            String expected = made.stdout().split(" ")[0];
            ExecResult read = ssh.run(Command.of("cat", payload.toString()), OutputSink.discard(), LIMIT);
            assertThat(read.exitCode()).isZero();
            assertThat(read.outputBytes()).isEqualTo(SIZE);
            assertThat(read.outputSha256()).isEqualTo(expected);
        }
    }

    @Test
    void theCipherListSshTransportUsesNegotiatesTheJdkAes128GcmAndCarriesDataBothWays() throws Exception {
        DefaultConfig config = new DefaultConfig();
        config.setCipherFactories(JdkAesGcm.inFrontOf(config.getCipherFactories()));
        NegotiatedAlgorithms negotiated = transferBothWays(config, "aes128");
        assertThat(negotiated.getClient2ServerCipherAlgorithm()).isEqualTo("aes128-gcm@openssh.com");
        assertThat(negotiated.getServer2ClientCipherAlgorithm()).isEqualTo("aes128-gcm@openssh.com");
        assertThat(Factory.Named.Util.create(config.getCipherFactories(), "aes128-gcm@openssh.com"))
                .isInstanceOf(JdkAesGcm.class);
    }

    @Test
    void theJdkAes256GcmAloneCarriesDataBothWays() throws Exception {
        DefaultConfig config = new DefaultConfig();
        config.setCipherFactories(List.<Factory.Named<Cipher>>of(JdkAesGcm.aes256()));
        NegotiatedAlgorithms negotiated = transferBothWays(config, "aes256");
        assertThat(negotiated.getClient2ServerCipherAlgorithm()).isEqualTo("aes256-gcm@openssh.com");
        assertThat(negotiated.getServer2ClientCipherAlgorithm()).isEqualTo("aes256-gcm@openssh.com");
    }

    /**
     * Sends 8 MiB of random bytes to the server's sha256sum and reads the same file back with cat; both digests must
     * match the local one.
     */
    private static NegotiatedAlgorithms transferBothWays(DefaultConfig config, String name) throws Exception {
        byte[] data = new byte[SIZE];
        new Random(name.hashCode()).nextBytes(data);
        String expected =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Path payload = server.dir().resolve("payload-" + name);
        AtomicReference<NegotiatedAlgorithms> negotiated = new AtomicReference<>();
        try (SSHClient client = new SSHClient(config)) {
            client.loadKnownHosts(server.knownHosts().toFile());
            client.addAlgorithmsVerifier(algorithms -> {
                negotiated.set(algorithms);
                return true;
            });
            client.connect("127.0.0.1", server.port());
            client.authPublickey(
                    "root", client.loadKeys(server.clientKey().privateKey().toString()));
            try (Session session = client.startSession()) {
                Session.Command upload = session.exec("tee " + payload + " | sha256sum");
                try (OutputStream out = upload.getOutputStream()) {
                    for (int at = 0; at < SIZE; at += 100_000) {
                        out.write(data, at, Math.min(100_000, SIZE - at));
                    }
                    // sshj's close() drops what is still buffered when the server's window is full at that moment
                    // (it flushes without waiting); flush() waits for the window.
                    out.flush();
                }
                String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                upload.join(60, TimeUnit.SECONDS);
                assertThat(upload.getExitStatus()).isZero();
                assertThat(answer.split(" ")[0])
                        .as("sha256 of what the server received")
                        .isEqualTo(expected);
            }
            try (Session session = client.startSession()) {
                Session.Command download = session.exec("cat " + payload);
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                long total = 0;
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = download.getInputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        digest.update(buffer, 0, n);
                        total += n;
                    }
                }
                download.join(60, TimeUnit.SECONDS);
                assertThat(download.getExitStatus()).isZero();
                assertThat(total).isEqualTo(SIZE);
                assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(expected);
            }
        }
        assertThat(negotiated.get()).as("the algorithms were negotiated").isNotNull();
        return negotiated.get();
    }
}
