package io.github.flowupgrade.upgrade.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.host.HostAccess;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.release.PlanTask;
import io.github.flowupgrade.release.Requirements;
import io.github.flowupgrade.release.TaskKind;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.testing.TestHostInfo;
import io.github.flowupgrade.upgrade.Upgrade;
import io.github.flowupgrade.upgrade.UpgradePath;
import io.github.flowupgrade.upgrade.UpgradeRequest;
import io.github.flowupgrade.upgrade.UpgradeResult;
import io.github.flowupgrade.upgrade.approval.ApprovalGate;
import io.github.flowupgrade.upgrade.approval.NoApprovalGate;
import io.github.flowupgrade.upgrade.approval.PreApprovedGate;
import io.github.flowupgrade.upgrade.checkout.Checkout;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.StreamingPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The database safety net against the test host's real PostgreSQL, run as a child JVM inside the host's network
 * namespace by {@link DatabaseSafetyTest} (a socket into the namespace can only come from a process inside it). Each
 * scenario upgrades v4.2.0 to v4.3.0 with the pre-deployment migrations (which really create tables there), asserts
 * its outcome and exits 0, or exits 1 with the failed assertion.
 *
 * <p>Usage: {@code DatabaseSafetyScenario SCENARIO TESTHOST_JSON TESTHOST_SCRIPT}
 */
public final class DatabaseSafetyScenario {
    /** The database password in the test host's .env.production: it must never leave the host. */
    static final String DB_PASSWORD = "testhost-db-secret-7c4a1e";

    private static final String STATE = "/home/mastodon/.flow-upgrade";
    private static final UpgradePlan MIGRATES = new UpgradePlan(
            false,
            Requirements.none(),
            List.of(new PlanTask(
                    TaskKind.PRE_DEPLOYMENT_MIGRATIONS,
                    TaskKind.PRE_DEPLOYMENT_MIGRATIONS.defaultCommand(),
                    List.of("v4.3.0"))),
            List.of(),
            List.of(),
            List.of(),
            List.of());

    private DatabaseSafetyScenario() {}

    public static void main(String[] args) throws Exception {
        TestHostInfo info = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(Path.of(args[1]).toFile(), TestHostInfo.class);
        Host host = new Host(info, args[2]);
        // bundle as the release's tasks call it: the migration is the test host's real one (it creates tables).
        host.enter("printf '%s\\n' '#!/bin/sh' 'if [ \"$*\" = \"exec rails db:migrate\" ]; then exec"
                + " /opt/fakemastodon/bin/db-migrate; fi' 'echo \"bundle $*: ok\"' > /usr/local/bin/bundle"
                + " && chmod 755 /usr/local/bin/bundle");
        int exit = 1;
        try {
            switch (args[0]) {
                case "backup-checked-then-rollback-refused" -> backupCheckedThenRollbackRefused(host);
                case "rollback-before-migrations" -> rollbackBeforeMigrations(host);
                case "dump-fails" -> dumpFails(host);
                case "too-little-disk" -> tooLittleDisk(host);
                case "no-backup" -> noBackup(host);
                case "restore-then-rollback" -> restoreThenRollback(host);
                case "connection-dropped-during-migration" -> connectionDroppedDuringMigration(host, 0);
                case "connection-dropped-then-migration-fails" -> connectionDroppedDuringMigration(host, 7);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("scenario " + args[0] + ": ok");
            exit = 0;
        } catch (AssertionError | RuntimeException e) {
            e.printStackTrace(System.out);
        } finally {
            host.enter("rm -f /usr/local/bin/bundle /var/tmp/flow-migrate.seconds /var/tmp/flow-migrate.exit");
        }
        System.exit(exit);
    }

    /**
     * The upgrade takes a checked backup before the migrations and records it; the migrations really ran; a rollback
     * is then refused (exit 3) naming that backup, and the host stays where it is.
     */
    static void backupCheckedThenRollbackRefused(Host host) {
        Run run = host.upgrade(MIGRATES, BackupPolicy.defaults(), false);
        UpgradeResult result = run.result;
        assertThat(result.status()).as(result.error()).isEqualTo(UpgradeResult.UPGRADED);
        BackupOutcome backup = result.backup();
        assertThat(backup.status()).isEqualTo(BackupOutcome.DONE);
        assertThat(backup.path()).matches(STATE + "/backups/v4\\.2\\.0-to-v4\\.3\\.0-\\d{8}T\\d{6}Z\\.dump");
        assertThat(backup.envCopy()).isEqualTo(backup.path().replace(".dump", ".env.production"));
        // What flow recorded is what is on the host: size, checksum, a dump pg_restore reads, the settings copy.
        assertThat(host.enter("stat -c %s " + backup.path()).strip()).isEqualTo(Long.toString(backup.bytes()));
        assertThat(host.enter("sha256sum " + backup.path()).strip()).startsWith(backup.sha256() + " ");
        assertThat(host.enter("runuser -u mastodon -- pg_restore --list " + backup.path() + " >/dev/null && echo ok"))
                .isEqualTo("ok\n");
        assertThat(host.enter("stat -c '%a %U' " + backup.envCopy() + " && grep -c '^DB_PASS=' " + backup.envCopy()))
                .isEqualTo("600 mastodon\n1\n");
        assertThat(backup.databaseBytes()).isPositive();
        assertThat(result.steps())
                .anySatisfy(s -> assertThat(s.name() + " " + s.status() + ": " + s.detail())
                        .startsWith("back up the database done: " + backup.path()));
        assertThat(run.audit.ofType(AuditEvents.BACKUP_COMPLETED))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("path", backup.path())
                        .containsEntry("sha256", backup.sha256())
                        .containsEntry("bytes", backup.bytes())
                        .containsKey("durationMs"));
        // The backup came before the migration, and the migration really changed the schema.
        assertThat(run.audit.types().indexOf(AuditEvents.BACKUP_COMPLETED))
                .isLessThan(run.audit.types().indexOf(AuditEvents.TASK_STARTED));
        assertThat(host.psql("SELECT count(*) FROM schema_migrations")).isEqualTo("3");
        assertThat(host.enter("grep -c '\"operation\":\"migrations\".*\"backup\":\"" + backup.path() + "\"' " + STATE
                        + "/history"))
                .isEqualTo("1\n");
        assertThat(result.migrated()).isTrue();
        assertThat(result.toMap()).containsKey("backup").containsEntry("migrated", true);
        assertNoSecret(run);

        CheckoutResult rollback = host.rollback();
        assertThat(rollback.exitCode()).as(rollback.error()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(rollback.error())
                .contains("database migrations ran since it was checked out at v4.3.0")
                .contains("old code on the new schema, which is unsafe")
                .contains(backup.path())
                .contains("Nothing was changed");
        assertThat(host.head()).isEqualTo(host.commit("v4.3.0"));
        assertThat(host.lockFree()).isTrue();
    }

    /** Without migrations there is no backup step, and a rollback is as instant as before: it goes back. */
    static void rollbackBeforeMigrations(Host host) {
        Run run = host.upgrade(UpgradePlan.empty(), BackupPolicy.defaults(), false);
        assertThat(run.result.status()).as(run.result.error()).isEqualTo(UpgradeResult.UPGRADED);
        assertThat(run.result.backup()).isNull();
        assertThat(run.result.steps()).noneSatisfy(s -> assertThat(s.name()).contains("back up"));
        assertThat(run.audit.types()).doesNotContain(AuditEvents.BACKUP_STARTED, AuditEvents.TASK_DETACHED);
        assertThat(host.head()).isEqualTo(host.commit("v4.3.0"));

        CheckoutResult rollback = host.rollback();
        assertThat(rollback.status()).as(rollback.error()).isEqualTo("checked-out");
        assertThat(host.head()).isEqualTo(host.commit("v4.2.0"));
    }

    /** pg_dump fails (a table it may not read): exit 4 before any change, nothing migrated, no file left. */
    static void dumpFails(Host host) {
        host.enter("runuser -u postgres -- psql -q -d mastodon_production -c 'CREATE TABLE private_notes (t text);"
                + " REVOKE ALL ON private_notes FROM PUBLIC'");
        try {
            Run run = host.upgrade(MIGRATES, BackupPolicy.defaults(), false);
            UpgradeResult result = run.result;
            assertThat(result.exitCode()).as(result.error()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(result.error())
                    .contains("the database backup (the dump (pg_dump -Fc)) failed")
                    .contains("permission denied")
                    .contains("Nothing was migrated");
            assertNothingMigrated(host, run);
            assertThat(result.backup().status()).isEqualTo(BackupOutcome.FAILED);
            assertThat(run.audit.types()).contains(AuditEvents.BACKUP_FAILED).doesNotContain(AuditEvents.TASK_STARTED);
            assertThat(host.enter("ls " + STATE + "/backups | wc -l").strip())
                    .as("no dump, no partial file")
                    .isEqualTo("0");
            assertNoSecret(run);
        } finally {
            host.enter("runuser -u postgres -- psql -q -d mastodon_production -c 'DROP TABLE private_notes'");
        }
    }

    /** The backup directory has less free space than the database: exit 4 before the dump, host unchanged. */
    static void tooLittleDisk(Host host) {
        String small = "/var/backups/flow-small";
        host.enter("mkdir -p " + small + " && mount -t tmpfs -o size=1m,mode=700,uid=$(id -u mastodon) tmpfs " + small);
        try {
            Run run = host.upgrade(MIGRATES, new BackupPolicy(true, small, null), false);
            UpgradeResult result = run.result;
            assertThat(result.exitCode()).as(result.error()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(result.error())
                    .contains("too little disk for the database backup")
                    .contains(small)
                    .contains("backup-dir");
            assertNothingMigrated(host, run);
            assertThat(run.audit.types()).contains(AuditEvents.BACKUP_FAILED).doesNotContain(AuditEvents.TASK_DETACHED);
            assertThat(host.enter("ls -A " + small + " | wc -l").strip()).isEqualTo("0");
        } finally {
            host.enter("umount " + small + " && rmdir " + small);
        }
    }

    /** The backup turned off: recorded as such, the migrations run, and the rollback says flow took none. */
    static void noBackup(Host host) {
        Run run = host.upgrade(MIGRATES, BackupPolicy.off(), false);
        assertThat(run.result.status()).as(run.result.error()).isEqualTo(UpgradeResult.UPGRADED);
        assertThat(run.result.backup().status()).isEqualTo(BackupOutcome.SKIPPED);
        assertThat(run.audit.ofType(AuditEvents.BACKUP_SKIPPED))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("by", "scenario@dbsafety")
                        .containsEntry("how", "no-backup"));
        assertThat(host.psql("SELECT count(*) FROM schema_migrations")).isEqualTo("3");
        CheckoutResult rollback = host.rollback();
        assertThat(rollback.exitCode()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(rollback.error()).contains("flow took no backup before them");
    }

    /**
     * After an upgrade whose migrations ran, {@code flow restore} puts the database back from the upgrade's backup:
     * refused without a confirmation or with another checksum (nothing changed), then, confirmed, with the services
     * stopped first; the rows written before the backup are back, the migrations' tables are gone, and the rollback
     * that was refused goes back.
     */
    static void restoreThenRollback(Host host) {
        host.psql("CREATE TABLE notes (t text); INSERT INTO notes VALUES ('written before the upgrade')");
        host.enter("runuser -u postgres -- psql -q -d mastodon_production -c 'ALTER TABLE notes OWNER TO mastodon'");
        Run run = host.upgrade(MIGRATES, BackupPolicy.defaults(), false);
        assertThat(run.result.status()).as(run.result.error()).isEqualTo(UpgradeResult.UPGRADED);
        String dump = run.result.backup().path();
        String sha256 = run.result.backup().sha256();
        assertThat(host.psql("SELECT count(*) FROM schema_migrations")).isEqualTo("3");

        RestoreResult unconfirmed = host.restore(dump, null, new NoApprovalGate());
        assertThat(unconfirmed.exitCode()).as(unconfirmed.error()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(unconfirmed.error()).contains("was not confirmed").contains("confirm-restore=127.0.0.1");
        RestoreResult otherSum =
                host.restore(dump, "0".repeat(64), new PreApprovedGate("Alice Admin", Clock.systemUTC()));
        assertThat(otherSum.exitCode()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(otherSum.error()).contains("has SHA-256 " + sha256);
        assertThat(host.enter("systemctl is-active mastodon-web mastodon-sidekiq mastodon-streaming"))
                .isEqualTo("active\nactive\nactive\n");
        assertThat(host.psql("SELECT count(*) FROM schema_migrations"))
                .as("nothing changed")
                .isEqualTo("3");

        RestoreResult restored = host.restore(dump, sha256, new PreApprovedGate("Alice Admin", Clock.systemUTC()));
        assertThat(restored.status()).as(restored.error()).isEqualTo(RestoreResult.RESTORED);
        assertThat(restored.confirmedBy()).isEqualTo("Alice Admin");
        assertThat(restored.stopped()).containsExactly("mastodon-web", "mastodon-sidekiq", "mastodon-streaming");
        assertThat(host.enter("systemctl is-active mastodon-web mastodon-sidekiq mastodon-streaming"))
                .as("the services stay stopped")
                .isEqualTo("inactive\ninactive\ninactive\n");
        assertThat(host.psql("SELECT t FROM notes")).isEqualTo("written before the upgrade");
        assertThat(host.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'"))
                .isEqualTo("0");
        assertThat(host.enter("tail -n 1 " + STATE + "/history"))
                .contains("\"operation\":\"restore\"")
                .contains(dump);
        assertThat(host.lockFree()).isTrue();

        CheckoutResult rollback = host.rollback();
        assertThat(rollback.status()).as(rollback.error()).isEqualTo("checked-out");
        assertThat(host.head()).isEqualTo(host.commit("v4.2.0"));
    }

    /**
     * The connection drops while the migration runs (detached): flow reconnects, re-attaches, streams the rest of its
     * output and takes its real exit status; the task was never killed and the lock stayed held meanwhile.
     */
    static void connectionDroppedDuringMigration(Host host, int exit) throws Exception {
        host.enter("echo 6 > /var/tmp/flow-migrate.seconds"
                + (exit == 0 ? "" : " && echo " + exit + " > /var/tmp/flow-migrate.exit"));
        List<String> lockSeen = Collections.synchronizedList(new ArrayList<>());
        Thread dropper = new Thread(() -> {
            // Once the migration printed its second line, the run's sshd session dies (as when the link drops).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (host.enter("grep -l 'migrating: 2 of' " + STATE + "/tasks/*/log 2>/dev/null")
                        .contains("/log")) {
                    host.enter("pkill -KILL -f '^sshd: root@notty'");
                    lockSeen.add(host.enter("cat " + STATE + "/lock/holder 2>/dev/null || echo none"));
                    return;
                }
                sleep(100);
            }
        });
        dropper.start();
        Run run = host.upgrade(MIGRATES, BackupPolicy.defaults(), true);
        dropper.join(TimeUnit.SECONDS.toMillis(70));
        UpgradeResult result = run.result;

        assertThat(lockSeen).as("the drop happened").hasSize(1);
        assertThat(lockSeen.get(0)).as("the lock stays held meanwhile").contains("scenario@dbsafety");
        assertThat(run.audit.types())
                .containsSubsequence(
                        AuditEvents.TASK_DETACHED, AuditEvents.TASK_CONNECTION_LOST, AuditEvents.TASK_REATTACHED);
        // The task ran to its end on the host: every line was shown (some after the re-attach), nothing twice.
        assertThat(run.console.stream().filter(l -> l.contains("migrating: 6 of 6")))
                .hasSize(1);
        assertThat(run.console.stream().filter(l -> l.contains("migrating: 1 of 6")))
                .hasSize(1);
        assertThat(host.psql("SELECT count(*) FROM schema_migrations")).isEqualTo("3");
        assertThat(result.migrated()).isTrue();
        assertThat(result.rollbackTo())
                .as("no rollback offered after migrations")
                .isNull();
        if (exit == 0) {
            assertThat(result.status()).as(result.error()).isEqualTo(UpgradeResult.UPGRADED);
            assertThat(result.tasks())
                    .singleElement()
                    .satisfies(t -> assertThat(t.exitCode()).isZero());
        } else {
            assertThat(result.exitCode()).as(result.error()).isEqualTo(ExitCode.REMOTE_COMMAND_FAILED.code());
            assertThat(result.error())
                    .contains("exited with status " + exit)
                    .contains("do not roll the code back to v4.2.0")
                    .contains(result.backup().path());
            assertThat(result.tasks())
                    .singleElement()
                    .satisfies(t -> assertThat(t.exitCode()).isEqualTo(exit));
        }
        assertThat(host.lockFree()).isTrue();
        assertNoSecret(run);
    }

    private static void assertNothingMigrated(Host host, Run run) {
        assertThat(host.head()).as("the host is still on its release").isEqualTo(host.commit("v4.2.0"));
        assertThat(host.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'schema_migrations'"))
                .isEqualTo("0");
        assertThat(run.result.migrated()).isFalse();
        assertThat(run.result.steps())
                .anySatisfy(s -> assertThat(s.name() + " " + s.status()).isEqualTo("back up the database failed"))
                .anySatisfy(s -> assertThat(s.name() + " " + s.status()).isEqualTo("checkout v4.3.0 not run"));
        assertThat(host.lockFree()).isTrue();
    }

    private static void assertNoSecret(Run run) {
        assertThat(String.valueOf(run.audit.events())).doesNotContain(DB_PASSWORD);
        assertThat(String.join("\n", run.console)).doesNotContain(DB_PASSWORD);
        assertThat(String.valueOf(run.result.toMap())).doesNotContain(DB_PASSWORD);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Run(UpgradeResult result, RecordingAuditLog audit, List<String> console) {}

    /** The test host, reached over SSH (as root, su to the app user) and through {@code testhost enter}. */
    record Host(TestHostInfo info, String script) {
        ConnectionSettings settings() {
            return new ConnectionSettings(
                    SshIdentity.fromFile(info.clientKey(), null), new HostKeyPolicy.KnownHosts(info.knownHosts()));
        }

        ReconnectingTransport connect() {
            return ReconnectingTransport.open(
                    info.sshHost(),
                    host -> SshTransport.connect(
                            new SshTarget(info.sshHost(), info.sshPort(), "root"), settings(), Console.silent()));
        }

        Run upgrade(UpgradePlan plan, BackupPolicy backup, boolean showLog) {
            RecordingAuditLog audit = new RecordingAuditLog();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Console console = new Console() {
                @Override
                public void info(String message) {
                    lines.add(message);
                    if (showLog) {
                        System.out.println(message);
                    }
                }

                @Override
                public void warn(String message) {
                    lines.add(message);
                    if (showLog) {
                        System.out.println(message);
                    }
                }
            };
            try (ReconnectingTransport transport = connect()) {
                HostAccess access = new HostAccess(transport, "root", RunAs.of("su", info.appUser()), info.appDir());
                UpgradeRequest request = new UpgradeRequest(
                                AppProfile.mastodon(),
                                StreamingPolicy.NEVER,
                                true,
                                "scenario@dbsafety",
                                null,
                                false,
                                RestartTimeouts.defaults(),
                                Duration.ofSeconds(60),
                                Duration.ofSeconds(120))
                        .withBackup(backup);
                UpgradePath path = new UpgradePath(
                        "v4.2.0",
                        "v4.3.0",
                        null,
                        List.of("v4.3.0"),
                        plan,
                        List.of(new UpgradePath.Hop(
                                ReleaseTag.of("v4.3.0"), commit("v4.3.0"), List.of("v4.3.0"), plan)));
                HostShell shell = new HostShell(access, request.commandTimeout(), audit, console);
                UpgradeResult result = new Upgrade(shell, request, Clock.systemUTC())
                        .run(path, new NoApprovalGate(), new NoApprovalGate());
                return new Run(result, audit, lines);
            }
        }

        RestoreResult restore(String dump, String sha256, ApprovalGate gate) {
            try (ReconnectingTransport transport = connect()) {
                HostAccess access = new HostAccess(transport, "root", RunAs.of("su", info.appUser()), info.appDir());
                RecordingAuditLog audit = new RecordingAuditLog();
                HostShell shell = new HostShell(access, Duration.ofSeconds(60), audit, Console.silent());
                RestoreRequest request = new RestoreRequest(
                        AppProfile.mastodon(),
                        dump,
                        sha256,
                        "scenario@dbsafety",
                        null,
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(120));
                RestoreResult result = new DatabaseRestore(shell, request, Clock.systemUTC()).run(gate);
                if (result.succeeded()) {
                    assertThat(audit.types()).contains(AuditEvents.BACKUP_RESTORED);
                }
                assertThat(String.valueOf(audit.events())).doesNotContain(DB_PASSWORD);
                return result;
            }
        }

        CheckoutResult rollback() {
            try (ReconnectingTransport transport = connect()) {
                HostAccess access = new HostAccess(transport, "root", RunAs.of("su", info.appUser()), info.appDir());
                HostShell shell =
                        new HostShell(access, Duration.ofSeconds(60), new RecordingAuditLog(), Console.silent());
                CheckoutRequest request =
                        new CheckoutRequest(info.appDir(), null, null, true, false, "scenario@dbsafety", null);
                return new Checkout(shell, request, Clock.systemUTC()).run();
            }
        }

        String head() {
            return enter("runuser -u mastodon -- git -C " + info.appDir() + " rev-parse HEAD")
                    .strip();
        }

        boolean lockFree() {
            return enter("test -e " + STATE + "/lock && echo held || echo free").equals("free\n");
        }

        String psql(String sql) {
            return enter("runuser -u postgres -- psql -At -d mastodon_production -c \"" + sql + "\" 2>&1")
                    .strip();
        }

        String commit(String tag) {
            return info.tags().stream()
                    .filter(t -> t.name().equals(tag))
                    .findFirst()
                    .orElseThrow()
                    .commit();
        }

        /** Runs a shell line as root inside the container (no SSH) and returns its output. */
        String enter(String line) {
            try {
                Process process = new ProcessBuilder(script, "enter", "--name", info.name(), "--", "sh", "-c", line)
                        .redirectErrorStream(true)
                        .start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor(60, TimeUnit.SECONDS);
                return out;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
