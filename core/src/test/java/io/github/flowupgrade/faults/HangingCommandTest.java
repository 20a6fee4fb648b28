package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row: a remote command hangs past its timeout. git's post-checkout hook on the host sleeps far longer
 * than the command limit; the host's {@code timeout} must stop it and everything it started, the run must fail with
 * exit code 4 naming the command and the limit, and the lock must be released.
 */
@Tag("ssh")
class HangingCommandTest {
    @TempDir
    Path dir;

    @Test
    void aCommandPastItsTimeoutIsStoppedOnTheHostAndTheRunFailsCleanly() throws Exception {
        try (CheckoutFaults host = new CheckoutFaults(dir)) {
            // A sleep of an odd length is the marker that finds the process afterwards.
            String marker = "sleep 3217";
            Path hook = host.live.resolve(".git/hooks/post-checkout");
            Files.createDirectories(hook.getParent());
            Files.writeString(hook, "#!/bin/sh\n" + marker + "\n");
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

            long started = System.nanoTime();
            CheckoutResult failed = host.checkout("v4.3.1", Duration.ofSeconds(2), false);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;

            assertThat(failed.exitCode()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error())
                    .contains("checking out v4.3.1")
                    .contains("was stopped after the 2 s limit (command-timeout)");
            assertThat(seconds).as("bounded by the limits, not by the hang").isLessThan(60);
            assertThat(LocalProcess.anyProcessContains(marker))
                    .as("the hung process is gone from the host")
                    .isFalse();
            // post-checkout runs after HEAD moved: either release commit is valid, nothing in between.
            host.assertHostIntact("v4.2.0", "v4.3.1");
            assertThat(host.lockDir()).as("released after the failure").doesNotExist();
            host.assertAuditSaysFailed(failed);
            assertThat(host.audit.ofType(AuditEvents.COMMAND))
                    .anySatisfy(e -> assertThat(e.fields()).containsEntry("timedOut", true));
        }
    }
}
