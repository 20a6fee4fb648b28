package io.github.flowupgrade.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.LocalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
 * script (bash execs it), which must pass the signal on to flow, or flow would go on alone holding the host lock until
 * the runner kills it. Here the upgrade runs against the embedded SSH server and a real git working tree, held in its
 * checkout by a git hook on the host, as a slow or stuck checkout would be.
 */
@Tag("ssh")
class ActionCancelTest {
    @TempDir
    Path tmp;

    private EmbeddedSshServer server;
    private GitRepos repos;
    private FakeGitHub github;
    private Path hookStarted;
    private Path hookPid;

    @BeforeEach
    void start() throws Exception {
        repos = GitRepos.create(tmp.resolve("git"), tmp.resolve("home/live"));
        server = EmbeddedSshServer.start(tmp.resolve("ssh"));
        // Plain releases: no minimum versions for this machine to meet, no tasks; the checkout is what is held.
        String notes = "## Upgrade notes\n\n### Non-Docker\n\n1. Restart all Mastodon processes.\n";
        github = FakeGitHub.start(
                "mastodon/mastodon",
                List.of(
                        FakeGitHub.Release.of(1, "v4.2.0", notes, "2023-09-01T00:00:00Z"),
                        FakeGitHub.Release.of(2, "v4.3.1", notes, "2024-10-01T00:00:00Z")));
        hookStarted = tmp.resolve("hook-started");
        hookPid = tmp.resolve("hook.pid");
        Path hook = repos.workTree().resolve(".git/hooks/post-checkout");
        Files.createDirectories(hook.getParent());
        // Holds the first checkout only (not the one that puts the host back after the stop).
        Files.writeString(
                hook,
                "#!/bin/sh\n[ -e " + hookStarted + " ] && exit 0\necho $$ > " + hookPid + "\ntouch " + hookStarted
                        + "\nexec sleep 3391\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stop() throws Exception {
        // The hook's sleep is ours: end it by its recorded PID if the run left it behind.
        if (Files.exists(hookPid)) {
            LocalProcess.attempt(
                    null, Map.of(), "kill", Files.readString(hookPid).strip());
        }
        github.close();
        server.close();
    }

    @Test
    void sigintToTheStepReachesFlowWhichPutsTheHostBackReleasesTheLockAndClosesItsTrail() throws Exception {
        String user = System.getProperty("user.name");
        Map<String, String> with = ActionTesting.with(
                "command",
                "upgrade",
                "hosts",
                "127.0.0.1",
                "port",
                Integer.toString(server.port()),
                "login",
                user,
                "run-as",
                "direct",
                "known-hosts",
                server.hostKey().knownHostsLine("127.0.0.1", server.port()),
                "ssh-key",
                Files.readString(server.clientKey().privateKey()),
                "tag",
                "v4.3.1",
                "confirm-manual",
                "true",
                "streaming",
                "never",
                "flow-jar",
                ActionTesting.flowJar().toString(),
                "extra-args",
                String.join(
                        "\n",
                        "--app-user",
                        user,
                        "--dir",
                        repos.workTree().toString(),
                        "--api-url",
                        github.apiUrl().toString(),
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
        while (!Files.exists(hookStarted)) {
            assertThat(job.isDone())
                    .as("the job ended before the checkout: %s", job.getNow(null))
                    .isFalse();
            assertThat(System.nanoTime()).as("the upgrade reached the checkout").isLessThan(deadline);
            Thread.sleep(20);
        }
        Path lock = repos.workTree().resolveSibling(".flow-upgrade").resolve("lock");
        assertThat(lock).as("held while the checkout runs").exists();
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .as("the private key's directory while flow runs")
                .hasSize(1);

        // As the runner cancels: SIGINT to the step's own process, which is the action's script (exec'd by bash).
        long signalled = System.nanoTime();
        LocalProcess.run("kill", "-INT", Long.toString(step.get().pid()));
        CompositeAction.Run run = job.get(60, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - signalled))
                .as("done before the runner's SIGTERM")
                .isLessThan(Duration.ofMillis(7500));
        assertThat(run.exitCode()).as(run.printed()).isEqualTo(130);
        assertThat(run.output("exit-code")).isEqualTo("130");
        assertThat(run.printed()).contains("flow: interrupted: stopping the run and releasing the host lock");
        assertThat(lock).as("released on cancel: %s", run.printed()).doesNotExist();
        assertThat(repos.head()).as("back on the release it ran").isEqualTo(repos.commitOf("v4.2.0"));
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .as("the private key's directory")
                .isEmpty();
        String trail = Files.readString(Path.of(run.output("audit-log")));
        assertThat(trail)
                .contains("\"lock.released\"")
                .contains("\"run.finished\"")
                .contains("interrupted");
        assertThat(run.commands()).anySatisfy(c -> assertThat(c.name()).isEqualTo("error"));
    }
}
