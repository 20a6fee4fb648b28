package io.github.flowupgrade.upgrade.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.testing.RecordingAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detached task over a real SSH server (the embedded one, running the real {@code /bin/sh}): the connection lost
 * before the start reached the host, lost in the middle of the task, and a run stopped from outside.
 */
@Tag("ssh")
class DetachedTaskSshTest {
    private static final Duration[] QUICK = {Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)};

    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private Path live;
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = Files.createDirectories(dir.resolve("home/live"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HostShell shell(Transport transport) {
        String user = System.getProperty("user.name");
        Console lines = new Console() {
            @Override
            public void info(String message) {
                console.add(message);
            }

            @Override
            public void warn(String message) {
                console.add(message);
            }
        };
        return new HostShell(
                new HostAccess(transport, user, RunAs.of("direct", user), live.toString()),
                Duration.ofSeconds(30),
                audit,
                lines);
    }

    private ReconnectingTransport reconnecting() {
        String user = System.getProperty("user.name");
        return ReconnectingTransport.open(
                "127.0.0.1", host -> SshTransport.connect(server.target(user), server.settings(), Console.silent()));
    }

    private static Command script(String line) {
        return new Command(line, line);
    }

    private Path taskDir(String id) {
        return dir.resolve("home/.flow-upgrade/tasks").resolve(id);
    }

    private List<String> shown(String text) {
        return console.stream().filter(l -> l.endsWith("| " + text)).toList();
    }

    @Test
    void aStartLostWithTheConnectionIsSentAgainOnceReconnected() {
        AtomicBoolean dropped = new AtomicBoolean();
        server.dropConnectionWhen(line -> line.contains("setsid -f") && dropped.compareAndSet(false, true));
        try (ReconnectingTransport transport = reconnecting()) {
            DetachedTask task = new DetachedTask(shell(transport), Clock.systemUTC(), QUICK);
            String id = task.newId("bundle install");
            ExecResult result =
                    task.run(id, script("echo built; exit 4"), null, Duration.ofSeconds(30), OutputSink.discard());

            assertThat(dropped).isTrue();
            assertThat(result.exitCode()).isEqualTo(4);
            assertThat(result.stderrTail()).contains("built");
            assertThat(shown("built")).hasSize(1);
            assertThat(audit.types())
                    .containsSubsequence(
                            AuditEvents.TASK_DETACHED, AuditEvents.TASK_CONNECTION_LOST, AuditEvents.TASK_REATTACHED);
            assertThat(server.connections()).isEqualTo(2);
            assertThat(taskDir(id).resolve("status")).hasContent("4");
        }
    }

    @Test
    void aConnectionLostMidTaskIsFollowedAgainFromWhereItStopped() throws Exception {
        try (ReconnectingTransport transport = reconnecting()) {
            DetachedTask task = new DetachedTask(shell(transport), Clock.systemUTC(), QUICK);
            String id = task.newId("db:migrate");
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> task.run(
                    id,
                    script("for i in 1 2 3 4 5 6; do echo line $i; sleep 0.3; done"),
                    null,
                    Duration.ofSeconds(30),
                    OutputSink.discard()));
            awaitShown("line 2");
            server.dropAllConnections();
            ExecResult result = run.get(60, TimeUnit.SECONDS);

            assertThat(result.exitCode()).isZero();
            for (int i = 1; i <= 6; i++) {
                assertThat(shown("line " + i)).as("line " + i + " shown once").hasSize(1);
            }
            assertThat(audit.types()).contains(AuditEvents.TASK_CONNECTION_LOST, AuditEvents.TASK_REATTACHED);
            assertThat(result.outputBytes()).isEqualTo(Files.size(taskDir(id).resolve("log")));
        }
    }

    @Test
    void withoutAWayToReconnectTheLossIsTheRunsAndTheTaskGoesOn() throws Exception {
        String user = System.getProperty("user.name");
        try (Transport plain = SshTransport.connect(server.target(user), server.settings(), Console.silent())) {
            DetachedTask task = new DetachedTask(shell(plain), Clock.systemUTC(), QUICK);
            String id = task.newId("assets");
            CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> task.run(
                    id, script("echo one; sleep 1; echo two"), null, Duration.ofSeconds(30), OutputSink.discard()));
            awaitShown("one");
            server.dropAllConnections();
            assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(FlowException.class)
                    .cause()
                    .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.NETWORK));
            awaitFile(taskDir(id).resolve("status"));
            assertThat(taskDir(id).resolve("log")).hasContent("one\ntwo");
        }
    }

    @Test
    void aRunStoppedFromOutsideStopsItsTask() throws Exception {
        try (ReconnectingTransport transport = reconnecting()) {
            DetachedTask task = new DetachedTask(shell(transport), Clock.systemUTC(), QUICK);
            String id = task.newId("db:migrate");
            String marker = "sleep 4712";
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            AtomicBoolean handedBack = new AtomicBoolean();
            Thread engine = new Thread(() -> {
                try {
                    task.run(id, script("echo started; " + marker), null, Duration.ofMinutes(10), OutputSink.discard());
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                } finally {
                    handedBack.set(Interruption.restore());
                }
            });
            engine.start();
            awaitShown("started");
            engine.interrupt();

            assertThat(failure.get(60, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(Interruption.stoppedBy(e)).isTrue());
            engine.join(10_000);
            assertThat(handedBack).isTrue();
            awaitFile(taskDir(id).resolve("status"));
            assertThat(taskDir(id).resolve("status")).hasContent("143");
            assertThat(LocalProcess.anyProcessContains(marker)).isFalse();
            assertThat(audit.types()).doesNotContain(AuditEvents.TASK_REATTACHED);
        }
    }

    private void awaitShown(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (shown(text).isEmpty()) {
            assertThat(System.nanoTime()).as(text + " shown").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as(file + " written").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
