package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch script run by a real /bin/sh, its output split back into one result per command. */
class BatchOutputTest {
    @TempDir
    Path dir;

    @Test
    void eachCommandGetsItsOwnStatusAndOutput() throws Exception {
        Batch batch = new Batch()
                .run(Command.of("printf", "%s", "no newline at the end"))
                .run(Command.of("printf", "two\\nlines\\n\\n"))
                .run(Command.of("sh", "-c", "echo to stderr >&2; exit 7"))
                .run(Command.of("true"));
        List<ExecResult> results = run(batch);
        assertThat(results).hasSize(4);
        assertThat(results.get(0).stdout()).isEqualTo("no newline at the end\n");
        assertThat(results.get(0).exitCode()).isZero();
        assertThat(results.get(1).stdout()).isEqualTo("two\nlines\n\n");
        assertThat(results.get(2).exitCode()).isEqualTo(7);
        assertThat(results.get(2).stdout()).isEmpty();
        assertThat(results.get(2).stderrTail()).isEqualTo("to stderr");
        assertThat(results.get(1).stderrTail()).isEmpty();
        assertThat(results.get(3).succeeded()).isTrue();
        assertThat(results).allSatisfy(r -> assertThat(r.durationMs()).isBetween(0L, 10_000L));
        assertThat(results.get(0).outputSha256()).isNotEqualTo(results.get(1).outputSha256());
    }

    @Test
    void aRequiredCommandThatFailsStopsTheRest() throws Exception {
        Path witness = dir.resolve("ran");
        Batch batch = new Batch()
                .require(Command.of("true"))
                .require(Command.of("sh", "-c", "echo refused >&2; exit 3"))
                .run(Command.of("touch", witness.toString()));
        List<ExecResult> results = run(batch);
        assertThat(results.get(0).succeeded()).isTrue();
        assertThat(results.get(1).exitCode()).isEqualTo(3);
        assertThat(results.get(1).stderrTail()).isEqualTo("refused");
        assertThat(results.get(2)).isNull();
        assertThat(witness).doesNotExist();
    }

    @Test
    void aFailureThatIsNotRequiredLetsTheRestRun() throws Exception {
        Path witness = dir.resolve("ran");
        Batch batch = new Batch().run(Command.of("false")).run(Command.of("touch", witness.toString()));
        List<ExecResult> results = run(batch);
        assertThat(results.get(0).exitCode()).isEqualTo(1);
        assertThat(results.get(1).succeeded()).isTrue();
        assertThat(witness).exists();
    }

    @Test
    void outputThatLooksLikeAMarkerWithoutTheNonceStaysOutput() throws Exception {
        Batch batch = new Batch()
                .run(Command.of("printf", "FLOW-BATCH-000000000000000000000000 0 0 1.0\\n"))
                .run(Command.of("echo", "second"));
        List<ExecResult> results = run(batch);
        assertThat(results.get(0).stdout()).isEqualTo("FLOW-BATCH-000000000000000000000000 0 0 1.0\n");
        assertThat(results.get(1).stdout()).isEqualTo("second\n");
    }

    @Test
    void aScriptCutOffMidwayMarksTheRunningCommandAndNothingAfterIt() throws Exception {
        Batch batch = new Batch()
                .run(Command.of("echo", "done"))
                .run(Command.of("sh", "-c", "echo partial; kill -9 $PPID"))
                .run(Command.of("echo", "never"));
        List<ExecResult> results = run(batch);
        assertThat(results.get(0).stdout()).isEqualTo("done\n");
        assertThat(results.get(1).exitCode()).isEqualTo(-1);
        assertThat(results.get(1).stdout()).isEqualTo("partial\n");
        assertThat(results.get(2)).isNull();
    }

    @Test
    void guardsPrintWhatTheyFoundAndFailOnAMismatch() throws Exception {
        Files.writeString(dir.resolve("f"), "");
        Batch batch = new Batch()
                .run(Command.outputEquals(Command.of("echo", "mastodon"), "mastodon"))
                .run(Command.outputEquals(Command.of("echo", "root"), "mastodon"))
                .run(Command.outputEquals(Command.of("sh", "-c", "echo broken >&2; exit 128"), "x"))
                .run(Command.outputEmpty(Command.of("true")))
                .run(Command.outputEmpty(Command.of("printf", " M app/models/user.rb\\n")))
                .run(Command.outputEquals(Command.of("echo", "it's $(not run)"), "it's $(not run)"));
        List<ExecResult> results = run(batch);
        assertThat(results.get(0).succeeded()).isTrue();
        assertThat(results.get(0).stdout()).isEqualTo("mastodon\n");
        assertThat(results.get(1).exitCode()).isNotZero();
        assertThat(results.get(1).stdout()).isEqualTo("root\n");
        assertThat(results.get(2).exitCode()).isEqualTo(128);
        assertThat(results.get(2).stdout()).isEmpty();
        assertThat(results.get(2).stderrTail()).isEqualTo("broken");
        assertThat(results.get(3).succeeded()).isTrue();
        assertThat(results.get(3).stdout()).isEmpty();
        assertThat(results.get(4).exitCode()).isNotZero();
        assertThat(results.get(4).stdout()).isEqualTo(" M app/models/user.rb\n");
        assertThat(results.get(5).succeeded()).isTrue();
    }

    /** Runs the script as the SSH transport would, both streams pumped line by line into the splitter. */
    private static List<ExecResult> run(Batch batch) throws IOException, InterruptedException {
        BatchOutput split = new BatchOutput(batch);
        Process process = new ProcessBuilder("sh", "-c", batch.script().line()).start();
        process.getOutputStream().close();
        OutputCollector collector = new OutputCollector(split);
        CompletableFuture<Void> stderr = CompletableFuture.runAsync(() -> {
            try {
                collector.pump(process.getErrorStream(), OutputSink.Stream.STDERR);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        collector.pump(process.getInputStream(), OutputSink.Stream.STDOUT);
        stderr.join();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ExecResult whole = new ExecResult(process.exitValue(), "", "", 0, "", 10, false);
        return split.results(whole, Duration.ofSeconds(60));
    }
}
