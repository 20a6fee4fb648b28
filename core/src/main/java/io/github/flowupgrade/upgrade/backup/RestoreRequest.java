package io.github.flowupgrade.upgrade.backup;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.commands.BackupCommands;
import java.time.Duration;
import java.util.Objects;

/**
 * A database restore from a backup {@code flow upgrade} took, validated before any connection.
 *
 * @param profile the application: its directory (and {@code .env.production}) and its services, stopped first
 * @param dump the dump on the host
 * @param expectSha256 the SHA-256 the dump must have (as the upgrade recorded it), or null
 * @param actor who restores, for the lock, the history and the audit trail
 * @param build the CI build, or null
 * @param commandTimeout the limit of a quick command (checks, stopping a service)
 * @param restoreTimeout the limit of the restore itself
 */
public record RestoreRequest(
        AppProfile profile,
        String dump,
        String expectSha256,
        String actor,
        String build,
        Duration commandTimeout,
        Duration restoreTimeout) {
    public RestoreRequest {
        Objects.requireNonNull(profile, "profile");
        BackupCommands.checkDump(dump);
        if (expectSha256 != null && !expectSha256.matches("[0-9a-f]{64}")) {
            throw FlowException.badInput(
                    Option.EXPECT_SHA256.named() + " must be 64 lower-case hex digits (as sha256sum prints them)");
        }
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        actor = actor == null || actor.isBlank() ? "unknown" : actor;
    }
}
