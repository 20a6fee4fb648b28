package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowRestore}: refused on the controller unless {@code confirmRestore} names the host and the dump is one flow
 * made; on the test host's real PostgreSQL, the step's task replaces the database with the dump and leaves the services
 * stopped, as {@code flow restore} does.
 */
class FlowRestoreStepTest {
    private static final String DUMP = "/home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-20261207T021800Z.dump";

    @BeforeAll
    static void stepSpelling() {
        StepParameterNames.install();
    }

    @Test
    void aRestoreNobodyConfirmedForThisHostIsRefusedBeforeAnythingIsSent() throws Exception {
        FlowRestoreStep step = new FlowRestoreStep("social.example", "mastodon-ssh", DUMP);
        assertThatThrownBy(step::checkRequest)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("confirmRestore must name the host whose database is replaced, exactly as in"
                        + " host: \"social.example\", not nothing. Everything written since the backup is lost.");
        step.setConfirmRestore("other.example");
        assertThatThrownBy(step::checkRequest)
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("host: \"social.example\", not \"other.example\".");
        step.setConfirmRestore("social.example");
        step.checkRequest();

        step.setExpectSha256("ABC");
        assertThatThrownBy(step::checkRequest)
                .isInstanceOf(AbortException.class)
                .hasMessageStartingWith("A SHA-256: 64 lower-case hex digits");
        step.setExpectSha256(null);
        step.setTaskTimeout(100_000);
        assertThatThrownBy(step::checkRequest)
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("taskTimeout");

        for (String bad : new String[] {"/etc/passwd", "backups/x.dump", "/home/../x.dump", " "}) {
            FlowRestoreStep other = new FlowRestoreStep("social.example", "mastodon-ssh", bad);
            other.setConfirmRestore("social.example");
            assertThatThrownBy(other::checkRequest).as(bad).isInstanceOf(AbortException.class);
        }
        assertThat(StepChecks.dump(DUMP).isOk()).isTrue();
        assertThat(StepChecks.dump("/etc/passwd").isOk()).isFalse();
        assertThat(StepChecks.sha256("0".repeat(64)).isOk()).isTrue();
    }

    /** On the test host, which only this part boots. */
    @Nested
    @Tag("testhost")
    class OnTheTestHost {
        @RegisterExtension
        final TestHost host = new TestHost();

        @TempDir
        Path workspace;

        @Test
        void replacesTheDatabaseWithTheDumpAndLeavesTheServicesStopped() throws Exception {
            TestHostInfo info = host.info();
            host.reset();
            // A dump as the upgrade takes it (custom format, as the app user with .env.production's settings), then a
            // table written after it, which the restore must take away.
            String psql =
                    "cd ~/live && set -a && . ./.env.production && set +a && export PGHOST=$DB_HOST PGPORT=$DB_PORT"
                            + " PGUSER=$DB_USER PGDATABASE=$DB_NAME PGPASSWORD=$DB_PASS && ";
            TestHost.Result made = host.ssh(
                    "mastodon",
                    psql + "psql -q -c 'CREATE TABLE before_backup (t text)' && mkdir -p -m 700 $(dirname " + DUMP
                            + ") && pg_dump -Fc -f " + DUMP + " && psql -q -c 'CREATE TABLE after_backup (t text)'"
                            + " && sha256sum " + DUMP + " | cut -d' ' -f1");
            assertThat(made.exitCode()).as(made.stderr()).isZero();
            String sha256 = made.out().strip();

            Map<String, Object> result;
            try (PortForward sshd = host.forward(info.sshPort())) {
                FlowRestoreStep step = new FlowRestoreStep("127.0.0.1", "mastodon-ssh", DUMP);
                step.setPort(sshd.port());
                step.setKnownHostsFile(info.knownHosts().toString());
                step.setConfirmRestore("127.0.0.1");
                step.setExpectSha256(sha256);
                step.checkRequest();
                TestListener log = new TestListener();
                result = InProcessAgent.callOnce(new RestoreTask(
                        new HostTarget(
                                log.listener(),
                                step.hostRequest(),
                                new SshLogin("mastodon-ssh", "root", Files.readString(info.clientKey()), null),
                                new BuildInfo("restore#1", null),
                                workspace.resolve(Workspaces.FLOW_DIR).toString()),
                        step.getBackup(),
                        step.getExpectSha256(),
                        step.getTaskTimeout()));
                assertThat(log.log()).doesNotContain("testhost-db-secret");
            }

            assertThat(result.get("status")).isEqualTo("restored");
            assertThat(result.get("sha256")).isEqualTo(sha256);
            String tables = host.ssh(
                            "mastodon",
                            psql + "psql -Atq -c \"SELECT string_agg(tablename, ',' ORDER BY"
                                    + " tablename) FROM pg_tables WHERE tablename LIKE '%_backup'\"")
                    .out();
            assertThat(tables).isEqualTo("before_backup");
            assertThat(host.ssh("root", "systemctl is-active mastodon-web mastodon-sidekiq mastodon-streaming || true")
                            .out()
                            .lines())
                    .as("the services stay stopped")
                    .containsOnly("inactive");
            host.reset();
        }
    }
}
