package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.audit.AuditVerification;
import io.github.flowupgrade.audit.AuditVerifier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aborting a build while a flow step's task runs on the agent: the step ends, as stopped with the abort's cause, only
 * once the task has returned on the agent, after its cleanup: the interruption cleared, the abort recorded in the
 * audit trail and the trail closed. The agent is in-process but reached as remoting reaches one (serialization, and an
 * interrupted caller that does not wait), so a step that ended on the interruption alone would end too early here.
 */
class StepRunAbortTest {
    /** Tasks signal here when their remote command started. */
    static final Map<String, CountDownLatch> STARTED = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path workspace;

    private final TestListener log = new TestListener();
    private final InProcessAgent agent = new InProcessAgent();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        agent.close();
        threads.shutdownNow();
    }

    /** A step's task whose remote command runs until interrupted, then fails as sshj does: interruption left set. */
    static final class LongCommandTask extends AgentTask {
        private static final long serialVersionUID = 1L;

        private final String flowDir;
        private final String started;
        private final long cleanupMillis;

        LongCommandTask(TaskListener listener, String flowDir, String started, long cleanupMillis) {
            super(listener);
            this.flowDir = flowDir;
            this.started = started;
            this.cleanupMillis = cleanupMillis;
        }

        @Override
        protected Map<String, Object> perform(Console buildLog) {
            try (AgentSession session = AgentSession.open(
                    "mastodon",
                    null,
                    null,
                    new BuildInfo("upgrade#7", null),
                    flowDir,
                    "checkout",
                    "v4.3.1",
                    buildLog,
                    abortSignal())) {
                return session.finishing(() -> {
                    session.audit().record("command", Map.of("command", "git fetch --tags"));
                    STARTED.get(started).countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(5).toMillis());
                        return Map.of("status", "done");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt(); // as sshj leaves it
                        slowCleanup();
                        throw FlowException.network("interrupted: `git fetch --tags` was stopped", e);
                    }
                });
            }
        }

        /** The engine's own cleanup after the abort (it kills the remote command and releases the lock) takes time. */
        private void slowCleanup() {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cleanupMillis);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }
    }

    /** What the step's end saw: its cause, and the audit trail as it was at that moment. */
    record Ending(Throwable cause, boolean trailStillOpen, List<AuditEvent> trail, String log) {}

    private Ending runAndAbort(long cleanupMillis) throws Exception {
        String startedId = java.util.UUID.randomUUID().toString();
        STARTED.put(startedId, new CountDownLatch(1));
        String flowDir = workspace.resolve("flow-upgrade").toString();
        Path trail = workspace.resolve("flow-upgrade/audit-release.jsonl");
        CompletableFuture<Ending> ended = new CompletableFuture<>();
        StepRun run = new StepRun();

        run.start(
                threads,
                r -> r.callAgent(agent, new LongCommandTask(log.listener(), flowDir, startedId, cleanupMillis)),
                new StepRun.Outcome() {
                    @Override
                    public void succeeded(Map<String, Object> result) {
                        ended.completeExceptionally(new AssertionError("succeeded: " + result));
                    }

                    @Override
                    public void failed(Throwable cause) {
                        try {
                            ended.complete(new Ending(cause, stillOpen(trail), AuditEvent.readAll(trail), log.log()));
                        } catch (IOException e) {
                            ended.completeExceptionally(e);
                        }
                    }
                });
        assertThat(STARTED.get(startedId).await(30, TimeUnit.SECONDS)).isTrue();
        InterruptedException abort = new InterruptedException("aborted by alice");

        assertThat(run.stop(abort, threads)).isTrue();

        Ending ending = ended.get(30, TimeUnit.SECONDS);
        assertThat(ending.cause()).isSameAs(abort);
        assertThat(run.running()).isFalse();
        return ending;
    }

    @Test
    void theStepEndsAsAbortedOnlyAfterTheAgentClosedTheAuditTrailThatRecordsTheAbort() throws Exception {
        Ending ending = runAndAbort(1500);

        assertThat(ending.trailStillOpen())
                .as("audit trail still open when the step ended")
                .isFalse();
        AuditEvent last = ending.trail().get(ending.trail().size() - 1);
        assertThat(last.type()).isEqualTo("run.finished");
        assertThat(last.fields())
                .containsEntry("status", "failed")
                .containsEntry("error", "the build was aborted: interrupted: `git fetch --tags` was stopped");
        assertThat(AuditVerifier.verify(workspace.resolve("flow-upgrade/audit-release.jsonl")))
                .isInstanceOf(AuditVerification.Intact.class);
        assertThat(ending.log()).contains("audit trail: ").contains("(3 records, head ");
        assertThat(ending.cause().getSuppressed())
                .singleElement()
                .satisfies(e -> assertThat(e).hasMessageStartingWith("the build was aborted: interrupted"));
    }

    @Test
    void aSecondStopWaitsForTheSameEnd() throws Exception {
        String startedId = java.util.UUID.randomUUID().toString();
        STARTED.put(startedId, new CountDownLatch(1));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StepRun run = new StepRun();
        run.start(
                threads,
                r -> r.callAgent(
                        agent,
                        new LongCommandTask(
                                log.listener(), workspace.resolve("fd").toString(), startedId, 500)),
                new StepRun.Outcome() {
                    @Override
                    public void succeeded(Map<String, Object> result) {
                        ended.completeExceptionally(new AssertionError("succeeded"));
                    }

                    @Override
                    public void failed(Throwable cause) {
                        ended.complete(cause);
                    }
                });
        STARTED.get(startedId).await(30, TimeUnit.SECONDS);
        assertThat(run.status()).isEqualTo("running on the agent: LongCommandTask");
        InterruptedException first = new InterruptedException("first");

        assertThat(run.stop(first, threads)).isTrue();
        assertThat(run.stop(new InterruptedException("second"), threads)).isTrue();
        assertThat(run.status()).startsWith("stopping, waiting for the agent to clean up");

        assertThat(ended.get(30, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(run.stop(new InterruptedException("late"), threads)).isFalse();
    }

    @Test
    void aStopBeforeTheTaskIsSentEndsTheStepWithoutTouchingTheAgent() throws Exception {
        CountDownLatch onController = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StepRun run = new StepRun();
        run.start(
                threads,
                r -> {
                    onController.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(5).toMillis()); // resolving credentials, say
                    } catch (InterruptedException e) {
                        // the stop interrupts the controller's thread; the work goes on to its agent call
                    }
                    return r.callAgent(agent, new LongCommandTask(log.listener(), "/nonexistent", "none", 0));
                },
                new StepRun.Outcome() {
                    @Override
                    public void succeeded(Map<String, Object> result) {
                        ended.completeExceptionally(new AssertionError("succeeded"));
                    }

                    @Override
                    public void failed(Throwable cause) {
                        ended.complete(cause);
                    }
                });
        onController.await(30, TimeUnit.SECONDS);
        InterruptedException abort = new InterruptedException("aborted");

        run.stop(abort, threads);

        Throwable cause = ended.get(30, TimeUnit.SECONDS);
        assertThat(cause).isSameAs(abort);
        assertThat(cause.getSuppressed())
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .hasMessage("the build was aborted before LongCommandTask was sent to" + " the agent"));
        assertThat(log.log()).as("nothing ran on the agent").isEmpty();
    }

    /** Whether the audit trail is still open (locked) in this JVM. */
    private static boolean stillOpen(Path trail) throws IOException {
        try (FileChannel channel = FileChannel.open(trail, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }
}
