package io.github.flowupgrade.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.HostileHttpServer;
import io.github.flowupgrade.testing.LocalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled job. GitHub's runner sends SIGINT to the step's own process only, waits 7.5 s, sends SIGTERM, waits
 * 2.5 s, then kills the process tree (actions/runner, ProcessInvoker). The step's process is the action's Python
 * script (bash execs it), which must pass the signal on to flow, or flow would go on alone and then be killed without
 * closing its trail. Here flow is held in its release lookup (an answer that trickles in) after it connected to the
 * embedded SSH server with the key the action wrote.
 */
@Tag("ssh")
class ActionCancelTest {
    @TempDir
    Path tmp;

    private EmbeddedSshServer server;
    private GitRepos repos;
    private HostileHttpServer github;

    @BeforeEach
    void start() throws Exception {
        repos = GitRepos.create(tmp.resolve("git"), tmp.resolve("live"));
        server = EmbeddedSshServer.start(tmp.resolve("ssh"));
        // An answer that trickles a byte at a time: flow stops reading it at once when signalled.
        github = HostileHttpServer.start(HostileHttpServer.Behaviour.TRICKLE);
    }

    @AfterEach
    void stop() {
        github.close();
        server.close();
    }

    @Test
    void sigintToTheStepReachesFlowWhichStopsAndClosesItsTrailWithinTheRunnersGrace() throws Exception {
        Map<String, String> with = ActionTesting.with(
                "command",
                "plan",
                "hosts",
                "127.0.0.1",
                "port",
                Integer.toString(server.port()),
                "known-hosts",
                server.hostKey().knownHostsLine("127.0.0.1", server.port()),
                "ssh-key",
                Files.readString(server.clientKey().privateKey()),
                "tag",
                "v4.3.1",
                "flow-jar",
                ActionTesting.flowJar().toString(),
                "extra-args",
                String.join(
                        "\n",
                        "--dir",
                        repos.workTree().toString(),
                        "--api-url",
                        github.url().toString(),
                        "--cache-dir",
                        tmp.resolve("github-cache").toString()));
        AtomicReference<Process> step = new AtomicReference<>();
        CompositeAction.Runner base = ActionTesting.runner(tmp, ActionTesting.github("http://127.0.0.1:9"), Map.of());
        CompositeAction.Runner runner = new CompositeAction.Runner(
                base.workspace(), base.temp(), base.github(), base.env(), Duration.ofMinutes(3), step::set);

        CompletableFuture<CompositeAction.Run> job = CompletableFuture.supplyAsync(() -> {
            try {
                return ActionTesting.action().run(with, runner);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (github.bytesSent() == 0) {
            assertThat(job.isDone())
                    .as("the job ended before the lookup: %s", job.getNow(null))
                    .isFalse();
            assertThat(System.nanoTime()).as("flow reached the release lookup").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(server.commands()).as("flow read the host's release first").isNotEmpty();
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .hasSize(1);

        // As the runner cancels: SIGINT to the step's own process, which is the action's script (exec'd by bash).
        long signalled = System.nanoTime();
        LocalProcess.run("kill", "-INT", Long.toString(step.get().pid()));
        CompositeAction.Run run = job.get(60, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - signalled))
                .as("before the runner's SIGTERM")
                .isLessThan(Duration.ofMillis(7500));
        assertThat(run.exitCode()).as(run.printed()).isEqualTo(130);
        assertThat(run.output("exit-code")).isEqualTo("130");
        assertThat(run.printed()).contains("flow: interrupted: stopping the run and releasing the host lock");
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .as("the private key's directory")
                .isEmpty();
        String trail = Files.readString(Path.of(run.output("audit-log")));
        assertThat(trail).contains("\"run.finished\"").contains("interrupted");
        assertThat(run.commands()).anySatisfy(c -> assertThat(c.name()).isEqualTo("error"));
    }
}
