package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.testing.FakeGitHub;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowRunUpgradeTasks}' agent task as a dry run over a real release range from the GitHub API fixture. */
class UpgradeTasksTaskTest {
    @TempDir
    Path workspace;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final TestListener log = new TestListener();

    @AfterEach
    void stop() {
        github.close();
    }

    private Map<String, Object> run(String phase, boolean confirmManual) throws Exception {
        FlowRunUpgradeTasksStep step = new FlowRunUpgradeTasksStep("social.example", "mastodon-ssh", "v4.6.1");
        step.setFrom("v4.5.10");
        step.setApiUrl(github.apiUrl().toString());
        step.setDryRun(true);
        step.setPhase(phase);
        step.setConfirmManual(confirmManual);
        return InProcessAgent.callOnce(new UpgradeTasksTask(
                new HostTarget(
                        log.listener(),
                        step.hostRequest(),
                        new SshLogin("mastodon-ssh", "mastodon", "not a key", null),
                        new BuildInfo("upgrade#3", null),
                        workspace.resolve("flow-upgrade").toString()),
                step.releaseRequest(),
                null,
                step.getPhase(),
                step.isConfirmManual(),
                step.getTaskTimeout(),
                step.isForceUnlock(),
                BackupSettings.checked(step.isBackup(), step.getBackupDir(), step.getBackupShip())));
    }

    @Test
    void plansTheAfterCheckoutTasksOfTheRangeAsTheApplicationUser() throws Exception {
        Map<String, Object> result = run("after-checkout", true);

        assertThat(result)
                .containsEntry("host", "social.example")
                .containsEntry("tag", "v4.6.1")
                .containsEntry("from", "v4.5.10")
                .containsEntry("phase", "after-checkout")
                .containsEntry("status", "planned");
        assertThat((List<?>) result.get("releases")).last().isEqualTo("v4.6.1");
        List<?> tasks = (List<?>) result.get("tasks");
        assertThat(tasks).allSatisfy(t -> {
            Map<?, ?> task = (Map<?, ?>) t;
            assertThat(task.get("phase")).isEqualTo("after-checkout");
            assertThat(task.get("status")).isEqualTo("planned");
        });
        assertThat(log.log()).contains("would run:");
    }

    @Test
    void aPhaseOtherThanAfterCheckoutOrAfterRestartIsRefused() {
        assertThatThrownBy(() -> run("before-checkout", true))
                .isInstanceOf(hudson.AbortException.class)
                .hasMessageContaining("after-checkout or after-restart");
    }
}
