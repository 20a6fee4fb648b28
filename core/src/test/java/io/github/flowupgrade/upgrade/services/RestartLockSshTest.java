package io.github.flowupgrade.upgrade.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Restart}'s use of the host lock over the embedded SSH server (commands run as the JVM's user). No service is
 * named and streaming is never restarted, so no {@code systemctl} runs on this machine: only the lock is under test.
 */
@Tag("ssh")
class RestartLockSshTest {
    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private Path live;
    private Path lock;
    private String appUser;
    private final RecordingAuditLog audit = new RecordingAuditLog();

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = Files.createDirectories(dir.resolve("home/live"));
        lock = dir.resolve("home/.flow-upgrade/lock");
        appUser = System.getProperty("user.name");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private RestartResult restart(Restart.Locking locking) {
        RestartRequest request = new RestartRequest(
                AppProfile.mastodon().withUser(appUser).withDir(live.toString()),
                List.of(),
                StreamingPolicy.NEVER,
                null,
                List.of(),
                null,
                RestartTimeouts.defaults());
        try (Transport transport = SshTransport.connect(server.target(appUser), server.settings(), Console.silent())) {
            HostAccess access = new HostAccess(transport, appUser, RunAs.of("direct", appUser), live.toString());
            return Restart.run(access, request, locking, new NoApprovalGate(), audit, Console.silent());
        }
    }

    private static Restart.Locking own(boolean forceUnlock) {
        return new Restart.Locking.Own("tester@ci", "https://ci/job/9/", forceUnlock, Clock.systemUTC());
    }

    private void heldByAnUpgrade() throws Exception {
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("holder"), "held by bob since 2026-11-23T12:00:00Z for upgrade to v4.3.1\n");
    }

    @Test
    void onItsOwnItTakesTheLockAndReleasesIt() {
        RestartResult result = restart(own(false));

        assertThat(result.status()).isEqualTo("done");
        assertThat(lock).doesNotExist();
        assertThat(audit.types())
                .containsSubsequence(
                        AuditEvents.LOCK_ACQUIRED, AuditEvents.STREAMING_DECISION, AuditEvents.LOCK_RELEASED);
        assertThat(audit.ofType(AuditEvents.LOCK_ACQUIRED))
                .singleElement()
                .satisfies(e -> assertThat(String.valueOf(e.fields().get("holder")))
                        .startsWith("held by tester@ci since ")
                        .contains(" for restart (build https://ci/job/9/)"));
    }

    @Test
    void aLockAnotherRunHoldsIsRefusedAndLeftInPlace() throws Exception {
        heldByAnUpgrade();

        assertThatThrownBy(() -> restart(own(false)))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("127.0.0.1 is locked by another run: held by bob")
                .hasMessageContaining("for upgrade to v4.3.1")
                .hasMessageContaining("force-unlock")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.REFUSED));
        assertThat(Files.readString(lock.resolve("holder"))).startsWith("held by bob");
        assertThat(audit.types()).doesNotContain(AuditEvents.STREAMING_DECISION, AuditEvents.LOCK_ACQUIRED);
    }

    @Test
    void forceUnlockRemovesALockADeadRunLeft() throws Exception {
        heldByAnUpgrade();

        RestartResult result = restart(own(true));

        assertThat(result.status()).isEqualTo("done");
        assertThat(lock).doesNotExist();
        assertThat(audit.types())
                .containsSubsequence(AuditEvents.LOCK_FORCED, AuditEvents.LOCK_ACQUIRED, AuditEvents.LOCK_RELEASED);
    }

    @Test
    void insideARunThatHoldsTheLockItSendsNoLockCommandOfItsOwn() throws Exception {
        heldByAnUpgrade();

        RestartResult result = restart(new Restart.Locking.Held());

        assertThat(result.status()).isEqualTo("done");
        assertThat(Files.readString(lock.resolve("holder")))
                .as("the upgrade's lock")
                .startsWith("held by bob");
        assertThat(server.commands()).noneMatch(c -> c.contains(lock.toString()));
        assertThat(audit.types()).doesNotContain(AuditEvents.LOCK_ACQUIRED, AuditEvents.LOCK_RELEASED);
    }
}
