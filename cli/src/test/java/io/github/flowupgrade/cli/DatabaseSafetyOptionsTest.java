package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.EmbeddedSshServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup options of {@code flow upgrade} and {@code flow restore} against the embedded SSH server: bad values are
 * refused with exit code 2 and no SSH session; the same restore with good values reaches the host.
 */
@Tag("ssh")
class DatabaseSafetyOptionsTest {
    @TempDir
    Path tmp;

    private EmbeddedSshServer server;
    private Path live;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedSshServer.start(tmp.resolve("server"));
        live = Files.createDirectories(tmp.resolve("home/live"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String dump() {
        return tmp.resolve("home/.flow-upgrade/backups/v4.2.0-to-v4.3.1-20261207T021800Z.dump")
                .toString();
    }

    private Run flow(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(server.port()),
                "--login",
                System.getProperty("user.name"),
                "--as",
                "direct",
                "--app-user",
                System.getProperty("user.name"),
                "--dir",
                live.toString(),
                "--identity",
                server.clientKey().privateKey().toString(),
                "--known-hosts",
                server.knownHosts().toString(),
                // Into the test's directory, not the module's working directory.
                "--audit-log",
                tmp.resolve("audit.jsonl").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                FlowCommand.execute(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badBackupAndRestoreValuesAreRefusedBeforeAnyConnection() {
        String[][] cases = {
            {"upgrade", "--tag", "v4.3.1", "--backup-dir", "backups"},
            {"upgrade", "--tag", "v4.3.1", "--backup-dir", "/var/../etc"},
            {"upgrade", "--tag", "v4.3.1", "--backup-ship", "rsync x y\nrm -rf /"},
            {"upgrade", "--tag", "v4.3.1", "--no-backup", "--backup-dir", "/var/backups"},
            {"restore", "--backup", "/etc/passwd"},
            {"restore", "--backup", "backups/x.dump"},
            {"restore", "--backup", "/home/../x.dump"},
            {"restore", "--backup", dump(), "--expect-sha256", "abc"},
            {"restore", "--backup", dump(), "--confirm-restore", "other.example"},
            {"restore", "--backup", dump(), "--host", "second.example"},
            {"restore", "--backup", dump(), "--task-timeout", "0"},
        };
        for (String[] args : cases) {
            Run r = flow(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("flow: ");
        }
        assertThat(server.connections()).as("no SSH session for bad input").isZero();
    }

    @Test
    void aRestoreWithGoodValuesReachesTheHostAndRefusesAMissingDumpUnchanged() {
        Run r = flow("restore", "--backup", dump(), "--confirm-restore", "127.0.0.1");
        assertThat(server.connections()).isEqualTo(1);
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("cannot read").contains(".env.production").contains("Nothing was changed");
        assertThat(tmp.resolve("home/.flow-upgrade/lock"))
                .as("the lock is released")
                .doesNotExist();
    }

    @Test
    void helpNamesTheRestoreAndTheBackupOptions() {
        StringWriter out = new StringWriter();
        FlowCommand.execute(new String[] {"--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()));
        assertThat(out.toString()).contains("restore");
        StringWriter upgrade = new StringWriter();
        FlowCommand.execute(
                new String[] {"upgrade", "--help"},
                new PrintWriter(upgrade, true),
                new PrintWriter(new StringWriter()));
        assertThat(upgrade.toString()).contains("--no-backup", "--backup-dir", "--backup-ship");
        StringWriter restore = new StringWriter();
        FlowCommand.execute(
                new String[] {"restore", "--help"},
                new PrintWriter(restore, true),
                new PrintWriter(new StringWriter()));
        assertThat(restore.toString()).contains("--backup", "--expect-sha256", "--confirm-restore", "stay stopped");
    }
}
