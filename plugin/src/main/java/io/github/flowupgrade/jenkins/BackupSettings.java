package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.backup.BackupPolicy;
import java.io.Serializable;

/**
 * The database backup of {@code flowUpgrade} and {@code flowRunUpgradeTasks} ({@code backup}, {@code backupDir},
 * {@code backupShip}), as plain values for the agent. Checked on the controller, before anything is sent anywhere.
 *
 * @param enabled take the backup before the first migration (the default); false only when the Pipeline says so
 * @param dir the directory on the host for the dumps, or null for the state directory's {@code backups}
 * @param ship the command that copies the checked dump elsewhere, or null
 */
record BackupSettings(boolean enabled, String dir, String ship) implements Serializable {
    /** The engine's policy; the same on the agent as on the controller, where {@link #checked} made it first. */
    BackupPolicy policy() {
        return new BackupPolicy(enabled, dir, ship);
    }

    /** These settings, refused on the controller with the engine's words when the engine would refuse them. */
    static BackupSettings checked(boolean enabled, String dir, String ship) throws AbortException {
        BackupSettings settings = new BackupSettings(enabled, dir, ship);
        try {
            settings.policy();
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
        return settings;
    }
}
