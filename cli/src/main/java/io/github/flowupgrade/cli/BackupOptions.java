package io.github.flowupgrade.cli;

import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import picocli.CommandLine.Option;

/** The database backup an upgrade takes before its first migration. */
final class BackupOptions {
    @Option(
            names = "--no-backup",
            description = "Do not back up the database before the migrations (recorded in the audit trail). Default:"
                    + " when the plan migrates, pg_dump -Fc of the database .env.production names, checked with"
                    + " pg_restore --list, before the first migration.")
    boolean noBackup;

    @Option(
            names = "--backup-dir",
            paramLabel = "DIR",
            description =
                    "Directory on the host for the dump (and a copy of .env.production). Default: ~/.flow-upgrade/backups"
                            + " of the application user.")
    String dir;

    @Option(
            names = "--backup-ship",
            paramLabel = "COMMAND",
            description = "Command run on the host as the application user after the dump was checked, to copy it"
                    + " elsewhere; the dump's path is in $FLOW_BACKUP, the settings copy's in $FLOW_BACKUP_ENV. A"
                    + " failure stops the upgrade before any migration.")
    String ship;

    /** @throws io.github.flowupgrade.FlowException {@code BAD_INPUT} for a bad directory or command */
    BackupPolicy policy() {
        return new BackupPolicy(!noBackup, dir, ship);
    }
}
