package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.github.flowupgrade.audit.AuditEvent;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowRestartServices} holds the host's lock as {@code flowCheckout} does, over the embedded SSH server
 * (commands run as the JVM's user). No service is named, so no {@code systemctl} runs on this machine: what is
 * under test is the lock around the restarts.
 */
@Tag("ssh")
class RestartTaskSshTest {
    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private Path live;
    private Path lock;
    private String appUser;
    private SshLogin login;
    private final TestListener log = new TestListener();

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = Files.createDirectories(dir.resolve("home/live"));
        lock = dir.resolve("home/.flow-upgrade/lock");
        appUser = System.getProperty("user.name");
        login = new SshLogin(
                "mastodon-ssh", appUser, Files.readString(server.clientKey().privateKey()), null);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private FlowRestartServicesStep step() {
        FlowRestartServicesStep step = new FlowRestartServicesStep("127.0.0.1", "mastodon-ssh");
        step.setPort(server.port());
        step.setKnownHostsFile(server.knownHosts().toString());
        step.setAppUser(appUser);
        step.setDir(live.toString());
        step.setServices("none");
        step.setStreaming("never");
        return step;
    }

    private Map<String, Object> restart(FlowRestartServicesStep step) throws Exception {
        return InProcessAgent.callOnce(new RestartTask(
                new HostTarget(
                        log.listener(),
                        step.hostRequest(),
                        login,
                        new BuildInfo("restart#3", "https://ci/job/restart/3/"),
                        dir.resolve("ws/flow-upgrade").toString()),
                step.restartRequest(new InputApprovals(String::equalsIgnoreCase, true).decide(null, null, List.of()))));
    }

    private void heldByAnotherRun() throws Exception {
        Files.createDirectories(lock);
        Files.writeString(
                lock.resolve("holder"),
                "held by bob since 2026-11-23T12:00:00Z for upgrade to v4.3.1 (build https://ci/job/upgrade/7/)\n");
    }

    @Test
    void aLockHeldByAnotherRunFailsTheStepNamingItsHolderAndLeavesItInPlace() throws Exception {
        heldByAnotherRun();

        assertThatThrownBy(() -> restart(step()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("is locked by another run: held by bob")
                .hasMessageContaining("for upgrade to v4.3.1")
                .hasMessageContaining("forceUnlock: true")
                .hasMessageEndingWith("[exit code 3]");
        assertThat(Files.readString(lock.resolve("holder"))).startsWith("held by bob");
        assertThat(server.commands()).noneMatch(c -> c.contains("systemctl"));
    }

    @Test
    void itTakesTheLockForItsRestartsAndReleasesIt() throws Exception {
        Map<String, Object> result = restart(step());

        assertThat(result).containsEntry("status", "done");
        assertThat(lock).doesNotExist();
        assertThat(server.commands())
                .anySatisfy(c -> assertThat(c).contains("mkdir " + lock))
                .anySatisfy(c -> assertThat(c).contains("rmdir " + lock));
        assertThat(types()).containsSubsequence("lock.acquired", "streaming.decision", "lock.released");
        assertThat(events().stream().filter(e -> e.type().equals("lock.acquired")))
                .singleElement()
                .satisfies(e -> assertThat(String.valueOf(e.fields().get("holder")))
                        .contains("for restart")
                        .contains("https://ci/job/restart/3/"));
    }

    @Test
    void forceUnlockRemovesALockADeadRunLeftAndSaysWhose() throws Exception {
        heldByAnotherRun();
        FlowRestartServicesStep step = step();
        step.setForceUnlock(true);

        Map<String, Object> result = restart(step);

        assertThat(result).containsEntry("status", "done");
        assertThat(lock).doesNotExist();
        assertThat(log.log()).contains("removed a stale lock (forceUnlock: true): held by bob");
        assertThat(types()).containsSubsequence("lock.forced", "lock.acquired", "lock.released");
    }

    private List<AuditEvent> events() throws Exception {
        return AuditEvent.readAll(dir.resolve("ws/flow-upgrade/audit-127.0.0.1.jsonl"));
    }

    private List<String> types() throws Exception {
        return events().stream().map(AuditEvent::type).toList();
    }
}
