package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.SshKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputCollectorTest {
    @Test
    void splitsLinesFlushesThePartialLastOneAndHashesEverything() throws IOException {
        List<String> lines = new ArrayList<>();
        OutputCollector collector = new OutputCollector((stream, line) -> lines.add(stream + ":" + line));
        collector.pump(
                new ByteArrayInputStream("a\r\nb\n\nhé".getBytes(StandardCharsets.UTF_8)), OutputSink.Stream.STDOUT);
        collector.pump(new ByteArrayInputStream("e1\ne2".getBytes(StandardCharsets.UTF_8)), OutputSink.Stream.STDERR);
        assertThat(lines).containsExactly("STDOUT:a", "STDOUT:b", "STDOUT:", "STDOUT:hé", "STDERR:e1", "STDERR:e2");
        assertThat(collector.stdout()).isEqualTo("a\nb\n\nhé\n");
        assertThat(collector.stderrTail()).isEqualTo("e1\ne2");
        assertThat(collector.bytes()).isEqualTo(9 + 5);
        assertThat(collector.sha256())
                .isEqualTo(LocalProcess.run("sh", "-c", "printf 'a\\r\\nb\\n\\nh\\303\\251e1\\ne2' | sha256sum")
                        .split(" ")[0]);
    }

    @Test
    void boundsLongLinesStdoutAndTheStderrTail() throws IOException {
        List<Integer> lengths = new ArrayList<>();
        OutputCollector collector = new OutputCollector((stream, line) -> lengths.add(line.length()));
        byte[] huge = new byte[OutputCollector.MAX_LINE_BYTES * 3 + 10];
        java.util.Arrays.fill(huge, (byte) 'x');
        collector.pump(new ByteArrayInputStream(huge), OutputSink.Stream.STDOUT);
        assertThat(lengths)
                .containsExactly(
                        OutputCollector.MAX_LINE_BYTES,
                        OutputCollector.MAX_LINE_BYTES,
                        OutputCollector.MAX_LINE_BYTES,
                        10);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("err ").append(i).append('\n');
        }
        collector.pump(
                new ByteArrayInputStream(many.toString().getBytes(StandardCharsets.UTF_8)), OutputSink.Stream.STDERR);
        assertThat(collector.stderrTail().split("\n"))
                .hasSize(OutputCollector.STDERR_TAIL_LINES)
                .endsWith("err 99");
        byte[] lots = ("y".repeat(999) + "\n").repeat(2000).getBytes(StandardCharsets.UTF_8);
        collector.pump(new ByteArrayInputStream(lots), OutputSink.Stream.STDOUT);
        assertThat(collector.stdout().length()).isLessThanOrEqualTo(OutputCollector.STDOUT_LIMIT);
        assertThat(collector.stdoutTruncated()).isTrue();
    }

    @Test
    void fingerprintsMatchSshKeygen(@TempDir Path dir) {
        SshKeys key = SshKeys.generate(dir, "k");
        String printed = LocalProcess.run("ssh-keygen", "-lf", key.publicKey().toString())
                .split(" ")[1];
        assertThat(key.fingerprint()).isEqualTo(printed);
    }
}
