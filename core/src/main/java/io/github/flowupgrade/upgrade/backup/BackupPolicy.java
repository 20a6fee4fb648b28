package io.github.flowupgrade.upgrade.backup;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.host.HostLock;

/**
 * Whether and where an upgrade that migrates backs up the database first, validated before any connection.
 *
 * @param enabled take the backup when the plan migrates (the default); false only when the user turned it off
 * @param dir the directory on the host for the dumps, or null for {@code backups} in the state directory
 *     ({@code /home/mastodon/.flow-upgrade/backups})
 * @param ship a command run on the host after the dump was checked, to copy it elsewhere (the dump's path in {@code
 *     $FLOW_BACKUP}), or null
 */
public record BackupPolicy(boolean enabled, String dir, String ship) {
    private static final int MAX_SHIP = 2000;

    public BackupPolicy {
        if (dir != null) {
            try {
                Inputs.dir(dir);
            } catch (FlowException e) {
                throw FlowException.badInput("not a valid backup directory for " + Option.BACKUP_DIR.named() + ": "
                        + Inputs.printable(dir) + " (an absolute path of plain segments, such as"
                        + " /var/backups/mastodon)");
            }
        }
        if (ship != null) {
            if (ship.isBlank() || ship.length() > MAX_SHIP || ship.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw FlowException.badInput(Option.BACKUP_SHIP.named() + " must be one line of at most " + MAX_SHIP
                        + " characters, such as: rsync \"$FLOW_BACKUP\" backup@vault:/srv/dumps/");
            }
        }
        if (!enabled && (dir != null || ship != null)) {
            throw FlowException.badInput(Option.NO_BACKUP.set() + " takes no backup: give no "
                    + Option.BACKUP_DIR.named() + " or " + Option.BACKUP_SHIP.named() + " with it");
        }
    }

    /** The default: a backup into the state directory whenever the plan migrates. */
    public static BackupPolicy defaults() {
        return new BackupPolicy(true, null, null);
    }

    /** No backup (the audit trail and the result say it was turned off). */
    public static BackupPolicy off() {
        return new BackupPolicy(false, null, null);
    }

    /** The directory the dumps go into for the application in {@code appDir}. */
    public String dirFor(String appDir) {
        return dir != null ? stripSlash(dir) : HostLock.stateDir(appDir) + "/backups";
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
