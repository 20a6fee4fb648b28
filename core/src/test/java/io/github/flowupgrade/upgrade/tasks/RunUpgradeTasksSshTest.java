package io.github.flowupgrade.upgrade.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfiles;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.release.Phase;
import io.github.flowupgrade.release.ReleaseLookupRequest;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upgrade tasks over the embedded SSH server (commands run as the JVM's user): the upgrade lock is taken beside the
 * working tree and released whatever happens, and a held lock or an unmet requirement stops the run before any task.
 */
@Tag("ssh")
class RunUpgradeTasksSshTest {
    /** Notes in Mastodon's format asking for a Node.js no host has, and one after-checkout task. */
    private static final String NOTES = "## Upgrade notes\n\n"
            + "### Dependencies\n\n"
            + "- Node: 999 or newer\n\n"
            + "### Update steps\n\n"
            + "### Non-Docker\n\n"
            + "1. Install dependencies with `bundle install`\n"
            + "2. Restart all Mastodon processes.\n";

    @TempDir
    Path dir;

    EmbeddedSshServer server;
    FakeGitHub github;
    Path live;
    String appUser;
    RecordingAuditLog audit;

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        github = FakeGitHub.start(
                "mastodon/mastodon",
                List.of(
                        FakeGitHub.Release.of(1, "v8.0.0", "First.", "2026-01-01T12:00:00Z"),
                        FakeGitHub.Release.of(2, "v8.0.1", NOTES, "2026-02-01T12:00:00Z")));
        live = Files.createDirectories(dir.resolve("home/live"));
        appUser = System.getProperty("user.name");
        audit = new RecordingAuditLog();
    }

    @AfterEach
    void tearDown() {
        github.close();
        server.close();
    }

    private RunUpgradeTasksResult run(Phase phase) {
        ReleaseLookupRequest lookup = ReleaseLookupRequest.of(AppProfiles.resolve("mastodon"), "v8.0.1")
                .withApi(github.apiUrl(), dir.resolve("cache"))
                .withFrom("v8.0.0");
        RunUpgradeTasksRequest request = new RunUpgradeTasksRequest(
                lookup,
                phase,
                true,
                "127.0.0.1",
                appUser,
                RunAs.of("direct", appUser),
                live.toString(),
                "tester@ci",
                null,
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                false,
                null);
        return RunUpgradeTasks.run(
                host -> SshTransport.connect(server.target(appUser), server.settings(), Console.silent()),
                request,
                new NoApprovalGate(),
                audit,
                Console.silent(),
                Clock.systemUTC());
    }

    private Path lockDir() {
        return dir.resolve("home/.flow-upgrade/lock");
    }

    @Test
    void anUnmetRequirementRefusesBeforeAnyTaskAndReleasesTheLock() {
        assertThatThrownBy(() -> run(Phase.AFTER_CHECKOUT))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("requires newer dependencies than 127.0.0.1")
                .hasMessageContaining("nodejs: needs 999 or newer")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.REFUSED));

        assertThat(lockDir()).doesNotExist();
        assertThat(audit.types())
                .containsSubsequence(AuditEvents.LOCK_ACQUIRED, AuditEvents.LOCK_RELEASED)
                .doesNotContain(AuditEvents.TASK_STARTED);
    }

    @Test
    void aPhaseWithoutTasksIsDoneUnderTheLock() {
        RunUpgradeTasksResult result = run(Phase.AFTER_RESTART);

        assertThat(result.status()).isEqualTo("done");
        assertThat(result.host()).isEqualTo("127.0.0.1");
        assertThat(result.releases()).containsExactly("v8.0.1");
        assertThat(result.tasks()).isEmpty();
        assertThat(result.requirements()).isEmpty();
        assertThat(lockDir()).doesNotExist();
        assertThat(audit.types()).containsSubsequence(AuditEvents.LOCK_ACQUIRED, AuditEvents.LOCK_RELEASED);
        assertThat(server.commands())
                .anySatisfy(c -> assertThat(c).contains(lockDir().toString()));
    }

    @Test
    void aLockHeldByAnotherRunRefusesAndIsLeftAlone() throws Exception {
        Files.createDirectories(lockDir());
        Files.writeString(lockDir().resolve("holder"), "held by alice@ci since 2026-11-23T12:00:00Z\n");

        assertThatThrownBy(() -> run(Phase.AFTER_CHECKOUT))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("127.0.0.1 is locked by another run: held by alice@ci")
                .satisfies(e -> assertThat(((FlowException) e).exitCode()).isEqualTo(ExitCode.REFUSED));

        assertThat(lockDir().resolve("holder")).exists();
        assertThat(audit.types()).doesNotContain(AuditEvents.LOCK_ACQUIRED, AuditEvents.TASK_STARTED);
        assertThat(server.commands()).noneSatisfy(c -> assertThat(c).contains("--version"));
    }
}
