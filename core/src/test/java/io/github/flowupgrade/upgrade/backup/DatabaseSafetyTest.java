package io.github.flowupgrade.upgrade.backup;

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
 * The database safety net on the test host with Debian's PostgreSQL: a checked and recorded backup before the
 * migrations, a dump that fails, too little disk, the backup turned off, a rollback refused after migrations and
 * allowed before them, and a migration that survives a dropped connection. Each scenario runs in a child JVM inside the
 * host's network namespace ({@link DatabaseSafetyScenario}); this test starts it and requires it to pass.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
@Timeout(300)
class DatabaseSafetyTest {
    @BeforeEach
    void freshHost(TestHost host) throws Exception {
        host.reset();
        // v4.3.0 needs Ruby 3.3.6, Node.js and yarn 4 through corepack, as the upgrade's pre-flight checks: the host
        // gets the stand-ins of a Mastodon host's toolchain (the scenario's own bundle then replaces theirs).
        TestHost.Result toolchain = host.ssh("root", Files.readString(host.toolchainScript()));
        assertThat(toolchain.exitCode()).as(toolchain.stderr()).isZero();
    }

    /** The host is shared by every test of this JVM: leave it as the others expect it (v4.2.0, empty database). */
    @AfterEach
    void leaveFresh(TestHost host) {
        host.reset();
    }

    @Test
    void backupIsCheckedAndRecordedBeforeTheMigrationsAndARollbackAfterThemIsRefused(TestHost host) {
        scenario(host, "backup-checked-then-rollback-refused");
    }

    @Test
    void rollbackBeforeAnyMigrationGoesBack(TestHost host) {
        scenario(host, "rollback-before-migrations");
    }

    @Test
    void failingDumpStopsTheRunBeforeAnyChange(TestHost host) {
        scenario(host, "dump-fails");
    }

    @Test
    void tooLittleDiskStopsTheRunBeforeTheDump(TestHost host) {
        scenario(host, "too-little-disk");
    }

    @Test
    void backupTurnedOffIsRecordedAndTheRollbackSaysSo(TestHost host) {
        scenario(host, "no-backup");
    }

    @Test
    void restoreIsConfirmedStopsTheServicesAndAllowsTheRollbackAgain(TestHost host) {
        scenario(host, "restore-then-rollback");
    }

    @Test
    void migrationSurvivesADroppedConnectionAndIsFollowedToItsEnd(TestHost host) {
        scenario(host, "connection-dropped-during-migration");
    }

    @Test
    void migrationStatusAfterADroppedConnectionIsTheTasksOwn(TestHost host) {
        scenario(host, "connection-dropped-then-migration-fails");
    }

    private static void scenario(TestHost host, String name) {
        Path json = Path.of("/run/flow-testhost", host.info().name(), "testhost.json");
        assertThat(json).exists();
        TestHost.Result result = host.exec(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DatabaseSafetyScenario.class.getName(),
                name,
                json.toString(),
                script().toString());
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        assertThat(result.stdout()).contains("scenario " + name + ": ok");
        assertThat(result.stdout() + result.stderr()).doesNotContain(DatabaseSafetyScenario.DB_PASSWORD);
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
