package io.github.flowupgrade.bench;

import com.hierynomus.sshj.transport.cipher.BlockCiphers;
import com.hierynomus.sshj.transport.cipher.ChachaPolyCiphers;
import com.hierynomus.sshj.transport.cipher.GcmCiphers;
import io.github.flowupgrade.remote.JdkAesGcm;
import io.github.flowupgrade.testing.OpenSshServer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * Diagnostic for figure 3 ({@code java -cp ... BenchMain probe-ciphers --out FILE}, not part of bench/run): raw sshj
 * throughput of 1 GiB per cipher, bytes read and dropped without line splitting or hashing, so the cost of the cipher
 * is seen apart from the transport's line handling. The JDK-backed AES-GCM that {@code SshTransport} offers first is
 * measured next to sshj's own ciphers, which run in BouncyCastle's plain Java.
 */
final class CipherProbe {
    private CipherProbe() {}

    static List<Figure> run() throws Exception {
        Map<String, Factory.Named<Cipher>> ciphers = new LinkedHashMap<>();
        ciphers.put("aes128-gcm@openssh.com (JDK, flow's default)", JdkAesGcm.aes128());
        ciphers.put("aes256-gcm@openssh.com (JDK)", JdkAesGcm.aes256());
        ciphers.put("chacha20-poly1305@openssh.com (sshj's default)", ChachaPolyCiphers.CHACHA_POLY_OPENSSH());
        ciphers.put("aes128-gcm@openssh.com (sshj, BouncyCastle)", GcmCiphers.AES128GCM());
        ciphers.put("aes256-gcm@openssh.com (sshj, BouncyCastle)", GcmCiphers.AES256GCM());
        ciphers.put("aes128-ctr (sshj, BouncyCastle)", BlockCiphers.AES128CTR());
        List<Figure> figures = new ArrayList<>();
        try (OpenSshServer server = OpenSshServer.start(List.of("flowbench", "root"), List.of())) {
            for (var entry : ciphers.entrySet()) {
                DefaultConfig config = new DefaultConfig();
                config.setCipherFactories(List.of(entry.getValue()));
                double ms = 0;
                for (int i = 0; i < 2; i++) {
                    try (SSHClient client = new SSHClient(config)) {
                        client.loadKnownHosts(server.knownHosts().toFile());
                        client.connect("127.0.0.1", server.port());
                        client.authPublickey(
                                "root",
                                client.loadKeys(server.clientKey().privateKey().toString()));
                        long started = System.nanoTime();
                        try (Session session = client.startSession()) {
                            Session.Command exec = session.exec(OutputVolumeBench.COMMAND);
                            long total = 0;
                            byte[] buffer = new byte[64 * 1024];
                            try (InputStream in = exec.getInputStream()) {
                                for (int n; (n = in.read(buffer)) > 0; ) {
                                    total += n;
                                }
                            }
                            exec.join();
                            if (total != OutputVolumeBench.GIB) {
                                throw new IllegalStateException("read " + total);
                            }
                        }
                        ms = Stats.millisSince(started);
                    }
                }
                double mibs = 1024 / (ms / 1000);
                figures.add(new Figure(
                        "probe-" + entry.getKey(),
                        "raw sshj read of 1 GiB, " + entry.getKey(),
                        Stats.round(mibs, 1),
                        "MiB/s",
                        "-",
                        true,
                        Map.of("ms", ms)));
            }
        }
        return figures;
    }
}
