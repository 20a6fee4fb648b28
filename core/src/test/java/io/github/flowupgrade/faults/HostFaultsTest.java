package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fault matrix rows that need a real systemd host: the SSH connection dropped during a restart or during an upgrade
 * task (each then resumed with {@code --force-unlock}), and sshd restarted between two steps. Each scenario runs in a child JVM inside the test
 * host's network namespace ({@link HostFaultScenario}); this test starts it and requires it to pass.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
@Timeout(300)
class HostFaultsTest {
    @BeforeEach
    void freshHost(TestHost host) {
        host.reset();
    }

    /** The host is shared by every test of this JVM: leave it as the others expect it (v4.2.0, no lock). */
    @AfterEach
    void leaveFresh(TestHost host) {
        host.reset();
    }

    @Test
    void connectionDroppedDuringARestartFailsWithTheLockExplainedAndAResumeFinishes(TestHost host) {
        scenario(host, "drop-during-restart");
    }

    @Test
    void connectionDroppedDuringAnUpgradeTaskFailsWithTheLockExplainedAndAResumeFinishes(TestHost host) {
        scenario(host, "drop-during-task");
    }

    @Test
    void webThatDoesNotComeBackWithTheUnlockSentAlongFailsAndLeavesNoLock(TestHost host) {
        scenario(host, "web-fails-with-the-unlock-sent-along");
    }

    @Test
    void sshdRestartedBetweenStepsDoesNotBreakTheRun(TestHost host) {
        scenario(host, "sshd-restart-between-steps");
    }

    private static void scenario(TestHost host, String name) {
        Path json = Path.of("/run/flow-testhost", host.info().name(), "testhost.json");
        assertThat(json).exists();
        TestHost.Result result = host.exec(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HostFaultScenario.class.getName(),
                name,
                json.toString(),
                script().toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("scenario " + name + ": ok");
    }

    private static Path script() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("testhost/testhost"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("testhost/testhost above the working directory").isNotNull();
        return dir.resolve("testhost/testhost");
    }
}
