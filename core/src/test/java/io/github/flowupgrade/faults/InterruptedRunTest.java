package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row: the thread running the engine is interrupted in the middle of a long remote command, as a Jenkins
 * abort (or a {@code timeout} step) interrupts the agent's thread. The command must end on the host at once, not at
 * its own limit; the run must still release the host lock and record what happened; and the interrupt must be handed
 * back to the caller once the cleanup is done.
 */
@Tag("ssh")
class InterruptedRunTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptStopsTheRemoteCommandReleasesTheLockAndIsHandedBack() throws Exception {
        try (CheckoutFaults host = new CheckoutFaults(dir)) {
            // The post-checkout hook hangs far inside a limit of ten minutes, the first time only (checking out back
            // afterwards runs it again); the odd sleep finds the process.
            String marker = "sleep 4711";
            Path hook = host.live.resolve(".git/hooks/post-checkout");
            Files.createDirectories(hook.getParent());
            Path once = dir.resolve("hook-ran");
            Files.writeString(
                    hook, "#!/bin/sh\n[ -e '" + once + "' ] && exit 0\ntouch '" + once + "'\n" + marker + "\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

            AtomicBoolean interruptHandedBack = new AtomicBoolean();
            CompletableFuture<CheckoutResult> run = new CompletableFuture<>();
            Thread engine = new Thread(() -> {
                try {
                    run.complete(host.checkout("v4.3.1", Duration.ofMinutes(10), false));
                } catch (Throwable e) {
                    run.completeExceptionally(e);
                } finally {
                    interruptHandedBack.set(
                            Interruption.restore() && Thread.currentThread().isInterrupted());
                }
            });
            engine.start();
            awaitProcess(marker, true);
            long interruptedAt = System.nanoTime();
            engine.interrupt();

            CheckoutResult result = run.get(60, TimeUnit.SECONDS);
            engine.join(10_000);
            long seconds = (System.nanoTime() - interruptedAt) / 1_000_000_000;

            assertThat(seconds)
                    .as("ended by the interrupt, not by the ten-minute limit")
                    .isLessThan(30);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.error()).contains("interrupted").contains("was stopped before it finished");
            awaitProcess(marker, false);
            assertThat(host.lockDir())
                    .as("the lock is released after the interrupt")
                    .doesNotExist();
            // The checkout may have moved HEAD before its hook hung: the host is on one of the two releases.
            host.assertHostIntact("v4.2.0", "v4.3.1");
            host.assertAuditSaysFailed(result);
            assertThat(host.audit.ofType(AuditEvents.LOCK_RELEASED)).isNotEmpty();
            assertThat(host.audit.ofType(AuditEvents.COMMAND))
                    .as("the stop sent to the host is on record")
                    .anySatisfy(e -> assertThat(String.valueOf(e.fields().get("command")))
                            .contains("pkill -TERM -f"));
            assertThat(interruptHandedBack)
                    .as("the caller sees the interrupt again")
                    .isTrue();
        }
    }

    private static void awaitProcess(String marker, boolean running) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (LocalProcess.anyProcessContains(marker) != running) {
            assertThat(System.nanoTime())
                    .as(marker + (running ? " started" : " is gone from the host"))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
