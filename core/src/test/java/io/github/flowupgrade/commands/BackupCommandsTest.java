package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.testing.LocalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup's commands: the database settings read the way Mastodon reads them, and none in a command line. */
class BackupCommandsTest {
    @TempDir
    Path dir;

    private String environmentOf(String envFile) throws Exception {
        return environmentOf(envFile, "mastodon_production");
    }

    private String environmentOf(String envFile, String defaultDatabase) throws Exception {
        Files.writeString(dir.resolve(".env.production"), envFile);
        String line = BackupCommands.databaseEnvironment(
                        dir.resolve(".env.production").toString(), defaultDatabase) + "; env | grep '^PG' | sort";
        return LocalProcess.run(null, Map.of("PGPASSWORD", "inherited", "PGHOST", "inherited"), "/bin/sh", "-c", line);
    }

    @Test
    void readsTheDatabaseSettingsWithQuotesExportAndLastOneWins() throws Exception {
        assertThat(environmentOf("LOCAL_DOMAIN=x\nDB_HOST=/var/run/postgresql\nexport DB_USER='mastodon_user'\n"
                        + "DB_NAME=\"social production\"\nDB_PASS=\"it's $ecret\"\nDB_PASS=\"last $ecret\"  \n"
                        + "DB_PORT=5433\nDB_SSLMODE=require\n"))
                .isEqualTo("PGDATABASE=social production\nPGHOST=/var/run/postgresql\nPGPASSWORD=last $ecret\n"
                        + "PGPORT=5433\nPGSSLMODE=require\nPGUSER=mastodon_user\n");
    }

    @Test
    void defaultsAreMastodonsAndNothingIsInherited() throws Exception {
        // Mastodon's config/database.yml: DB_NAME or mastodon_production; no DB_USER leaves libpq the login's name.
        assertThat(environmentOf("LOCAL_DOMAIN=x\n")).isEqualTo("PGDATABASE=mastodon_production\n");
        assertThat(environmentOf("LOCAL_DOMAIN=x\n", BackupCommands.defaultDatabaseOf("flow")))
                .isEqualTo("PGDATABASE=flow_production\n");
    }

    @Test
    void aMissingSettingsFileStopsBeforeAnything() {
        LocalProcess.Result result = LocalProcess.attempt(
                null,
                Map.of(),
                "/bin/sh",
                "-c",
                BackupCommands.databaseEnvironment(dir.resolve("missing").toString(), "mastodon_production")
                        + "; echo went on");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("cannot read").doesNotContain("went on");
    }

    @Test
    void noSecretTravelsInTheCommandLines() {
        BackupCommands backup =
                new BackupCommands("/home/mastodon/live", "/var/backups/mastodon", "mastodon_production");
        String name = "v4.2.0-to-v4.3.1-20261207T021800Z";
        assertThat(backup.dump(name).line())
                .contains("pg_dump -Fc -f /var/backups/mastodon/" + name + ".dump.part")
                .contains("pg_restore --list /var/backups/mastodon/" + name + ".dump.part")
                .contains("cp /home/mastodon/live/.env.production /var/backups/mastodon/" + name + ".env.production")
                .contains("export PGPASSWORD=\"$w\"")
                .isEqualTo(backup.dump(name).redacted());
        assertThat(backup.probe().line()).contains("pg_database_size(current_database())");
        assertThat(backup.ship(name, "rsync \"$FLOW_BACKUP\" vault:").line())
                .isEqualTo("env 'FLOW_BACKUP=/var/backups/mastodon/" + name + ".dump'"
                        + " 'FLOW_BACKUP_ENV=/var/backups/mastodon/" + name + ".env.production'"
                        + " sh -c 'rsync \"$FLOW_BACKUP\" vault:'");
    }

    @Test
    void namesArePlainPathSegments() {
        BackupCommands backup =
                new BackupCommands("/home/mastodon/live", "/var/backups/mastodon", "mastodon_production");
        assertThatThrownBy(() -> backup.dumpFile("../etc/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backup.dumpFile("a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
