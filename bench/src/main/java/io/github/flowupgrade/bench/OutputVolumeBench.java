package io.github.flowupgrade.bench;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.JdkAesGcm;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.OpenSshServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.transport.cipher.Cipher;

/**
 * Figure 3: a remote command printing 1 GiB of text lines, read through {@link SshTransport} (every line handed to a
 * sink, as {@code flow} streams task output) against OpenSSH's client writing the same command's output to
 * {@code /dev/null}, both against Debian's OpenSSH sshd on 127.0.0.1. This JVM is started with a small {@code -Xmx}
 * by bench/run, so finishing at all proves the memory bound; the heap growth is measured too.
 */
final class OutputVolumeBench {
    static final long GIB = 1L << 30;
    /** 100-byte lines, like a verbose task's output. */
    static final String COMMAND = command(GIB);

    /** {@code bytes} of the benchmark's 100-byte lines. */
    static String command(long bytes) {
        return "yes 'flow-upgrade output volume benchmark: 0123456789abcdefghijklmnopqrstuvwxyz"
                + " ABCDEFGHIJKLMNOPQRSTUV' | head -c " + bytes;
    }

    private OutputVolumeBench() {}

    /**
     * The server-to-client cipher that sshj negotiates with this server when offered the list {@link SshTransport}
     * offers (the JDK-backed AES-GCM first), and the class that implements it.
     */
    private static String negotiatedCipher(OpenSshServer server) throws Exception {
        DefaultConfig config = new DefaultConfig();
        config.setCipherFactories(JdkAesGcm.inFrontOf(config.getCipherFactories()));
        AtomicReference<String> name = new AtomicReference<>();
        try (SSHClient client = new SSHClient(config)) {
            client.loadKnownHosts(server.knownHosts().toFile());
            client.addAlgorithmsVerifier(algorithms -> {
                name.set(algorithms.getServer2ClientCipherAlgorithm());
                return true;
            });
            client.connect("127.0.0.1", server.port());
        }
        Cipher implementation = Factory.Named.Util.create(config.getCipherFactories(), name.get());
        return name.get() + " (" + implementation.getClass().getSimpleName() + ")";
    }

    static List<Figure> run(int runs) throws Exception {
        try (OpenSshServer server = OpenSshServer.start(List.of("flowbench", "root"), List.of())) {
            OpenSshClient ssh = new OpenSshClient(
                    server.clientKey().privateKey(), server.knownHosts(), "127.0.0.1", server.port(), "root");
            List<Double> flowMs = new ArrayList<>();
            List<Double> opensshMs = new ArrayList<>();
            long liveGrowth = 0;
            long sampledGrowth = 0;
            long collections = 0;
            long baseline = 0;
            String cipher = negotiatedCipher(server);
            // Warm-up: class loading and JIT of the transport, not timed. The same lines as the timed runs, so the
            // compiled line splitting is the one they use (short lines alone leave it compiled for a different shape).
            try (SshTransport warm = SshTransport.connect(server.target("root"), server.settings(), Console.silent())) {
                warm.run(Command.of("sh", "-c", command(128L << 20)), (s, l) -> {}, Duration.ofMinutes(5));
            }
            for (int i = 0; i < runs; i++) {
                opensshMs.add(ssh.timeDiscarding(COMMAND));
                AtomicLong lines = new AtomicLong();
                try (HeapWatch heap = new HeapWatch()) {
                    long started = System.nanoTime();
                    ExecResult result;
                    try (SshTransport transport =
                            SshTransport.connect(server.target("root"), server.settings(), Console.silent())) {
                        result = transport.run(
                                Command.of("sh", "-c", COMMAND),
                                (stream, line) -> lines.incrementAndGet(),
                                Duration.ofMinutes(30));
                    }
                    flowMs.add(Stats.millisSince(started));
                    if (result.exitCode() != 0 || result.outputBytes() != GIB) {
                        throw new IllegalStateException("the flow side read " + result.outputBytes() + " bytes, exit "
                                + result.exitCode() + ": " + result.stderrTail());
                    }
                    liveGrowth = Math.max(liveGrowth, heap.liveGrowthBytes());
                    sampledGrowth = Math.max(sampledGrowth, heap.sampledGrowthBytes());
                    collections += heap.collections();
                    baseline = heap.baselineBytes();
                }
            }
            double flow = Stats.median(flowMs);
            double openssh = Stats.median(opensshMs);
            double flowMiBs = GIB / 1048576.0 / (flow / 1000);
            double opensshMiBs = GIB / 1048576.0 / (openssh / 1000);
            double ratio = flowMiBs / opensshMiBs;
            long xmx = Runtime.getRuntime().maxMemory();

            Map<String, Object> details = new LinkedHashMap<>();
            details.put("command", COMMAND);
            details.put("server", "OpenSSH sshd (Debian) on 127.0.0.1, login root");
            details.put(
                    "opensshClientCipher", "its default (chacha20-poly1305@openssh.com, first in both default lists)");
            details.put("runs", runs);
            details.put("flowMs", flowMs);
            details.put("opensshMs", opensshMs);
            details.put("flowMiBPerS", Stats.round(flowMiBs, 1));
            details.put("opensshMiBPerS", Stats.round(opensshMiBs, 1));
            details.put("jvmMaxHeapMiB", Stats.round(xmx / 1048576.0, 1));
            details.put("baselineHeapMiB", Stats.round(baseline / 1048576.0, 1));
            details.put("peakLiveHeapGrowthMiB", Stats.round(liveGrowth / 1048576.0, 2));
            details.put("peakSampledHeapGrowthMiB", Stats.round(sampledGrowth / 1048576.0, 2));
            details.put("gcCount", collections);
            if (cipher != null) {
                details.put("cipher", cipher);
            }
            double growthMiB = liveGrowth / 1048576.0;
            Map<String, Object> heapDetails = new LinkedHashMap<>(details);
            return List.of(
                    new Figure(
                            "output-heap-growth",
                            "1 GiB of output: peak client heap growth (live after GC)",
                            Stats.round(growthMiB, 2),
                            "MiB",
                            "< 64",
                            growthMiB < 64 && xmx <= 128L * 1048576,
                            heapDetails),
                    new Figure(
                            "output-throughput",
                            "1 GiB of output: throughput vs OpenSSH ssh > /dev/null",
                            Stats.round(ratio, 2),
                            "x",
                            ">= 0.8",
                            ratio >= 0.8,
                            details));
        }
    }
}
