package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.testing.LocalProcess;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix rows around {@code git fetch} and the release's tag: the connection dropped during the fetch, the
 * upstream unreachable, the host's disk full, and a release deleted between the lookup and the checkout. Each row
 * checks the exit code and message, that the host is on a release commit with its local file intact, that the lock
 * is released or explained, and what the audit trail says; then that the next run recovers.
 */
@Tag("ssh")
class FetchFaultsTest {
    @TempDir
    Path dir;

    @Test
    void connectionDroppedDuringFetchKeepsTheCommitAndExplainsTheLock() throws Exception {
        try (CheckoutFaults host = new CheckoutFaults(dir)) {
            host.server.dropConnectionWhen(command -> command.contains("fetch --tags"));

            CheckoutResult lost = host.checkout("v4.3.1");

            assertThat(lost.exitCode()).isEqualTo(ExitCode.NETWORK.code());
            assertThat(lost.status()).isEqualTo("unreachable");
            assertThat(lost.error())
                    .contains("connection to 127.0.0.1:" + host.server.port() + " was lost")
                    .contains("fetch --tags")
                    .contains("is still held")
                    .contains("remove it with force-unlock");
            host.assertHostIntact("v4.2.0");
            assertThat(host.lockDir().resolve("holder"))
                    .content()
                    .contains("faults@ci")
                    .contains("checkout v4.3.1");
            host.assertAuditSaysFailed(lost);
            assertThat(host.audit.ofType(AuditEvents.COMMAND))
                    .anySatisfy(e -> assertThat(e.fields())
                            .containsKey("error")
                            .hasEntrySatisfying(
                                    "command", c -> assertThat((String) c).contains("fetch --tags")));

            host.server.dropConnectionWhen(command -> false);
            CheckoutResult recovered = host.checkout("v4.3.1", Duration.ofSeconds(30), true);
            assertThat(recovered.status()).as(recovered.error()).isEqualTo("checked-out");
            host.assertHostIntact("v4.3.1");
            assertThat(host.lockDir()).doesNotExist();
            assertThat(host.audit.types()).contains(AuditEvents.LOCK_FORCED);
        }
    }

    @Test
    void unreachableUpstreamFailsTheFetchAndReleasesTheLock() throws Exception {
        try (CheckoutFaults host = new CheckoutFaults(dir)) {
            Path upstream = host.repos.upstream();
            Path moved = upstream.resolveSibling("gone.git");
            Files.move(upstream, moved);

            CheckoutResult failed = host.checkout("v4.3.1");

            assertThat(failed.exitCode()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error())
                    .contains("fetch")
                    .contains(upstream.toString())
                    .contains("The host is still on v4.2.0");
            assertThat(host.lockDir()).as("released after the failure").doesNotExist();
            host.assertAuditSaysFailed(failed);
            assertThat(host.audit.types()).contains(AuditEvents.LOCK_RELEASED);

            Files.move(moved, upstream);
            host.assertHostIntact("v4.2.0");
            assertThat(host.checkout("v4.3.1").status()).isEqualTo("checked-out");
            host.assertHostIntact("v4.3.1");
        }
    }

    @Test
    void diskFullOnTheHostFailsTheFetchWithoutTouchingTheTree() throws Exception {
        requireRoot();
        Path live = dir.resolve("home/live");
        Files.createDirectories(live);
        // The working tree alone on a 4 MiB tmpfs; the lock directory beside it stays writable.
        LocalProcess.run("mount", "-t", "tmpfs", "-o", "size=4m,mode=755", "flow-faults-tmpfs", live.toString());
        try (CheckoutFaults host = new CheckoutFaults(dir, live)) {
            String big = Base64.getEncoder().encodeToString(random(512 << 10));
            String commit = host.repos.publish("v4.3.2", "public/emoji.bin", big);
            Path filler = live.resolve(".git/filler");
            LocalProcess.attempt(null, Map.of(), "dd", "if=/dev/zero", "of=" + filler, "bs=64k", "status=none");
            // Room for git's index and the lock's bookkeeping, not for the new release's objects.
            LocalProcess.run("truncate", "-s", "-256K", filler.toString());

            CheckoutResult failed = host.checkout("v4.3.2");

            assertThat(failed.exitCode()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(failed.error())
                    .contains("fetch")
                    .containsIgnoringCase("no space left on device")
                    .contains("The host is still on v4.2.0");
            assertThat(host.lockDir()).doesNotExist();
            host.assertAuditSaysFailed(failed);

            Files.delete(filler);
            host.assertHostIntact("v4.2.0"); // checked once there is room for git's own index refresh
            CheckoutResult recovered = host.checkout("v4.3.2");
            assertThat(recovered.status()).as(recovered.error()).isEqualTo("checked-out");
            assertThat(host.repos.head()).isEqualTo(commit);
            assertThat(Files.readString(live.resolve(CheckoutFaults.LOCAL_FILE)))
                    .isEqualTo(CheckoutFaults.LOCAL_CONTENT);
        } finally {
            LocalProcess.run("umount", "-l", live.toString());
        }
    }

    @Test
    void releaseDeletedBetweenLookupAndCheckoutIsRefusedByName() throws Exception {
        try (CheckoutFaults host = new CheckoutFaults(dir)) {
            // The lookup saw v4.3.2 (just published); the upstream deletes it before the checkout fetches.
            host.repos.publish("v4.3.2", "app/models/status.rb", "class Status; end # 4.3.2\n");
            host.repos.git(host.repos.upstream(), "tag", "-d", "v4.3.2");

            CheckoutResult refused = host.checkout("v4.3.2");

            assertThat(refused.exitCode()).isEqualTo(ExitCode.REFUSED.code());
            assertThat(refused.status()).isEqualTo("refused");
            assertThat(refused.error()).contains("tag v4.3.2 does not exist");
            host.assertHostIntact("v4.2.0");
            assertThat(host.lockDir()).doesNotExist();
            host.assertAuditSaysFailed(refused);
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            String message = "this test mounts a tmpfs and needs root";
            if (System.getenv("CI") != null) {
                Assertions.fail(message + " (CI is set, so it must run)");
            }
            Assumptions.abort(message);
        }
    }
}
