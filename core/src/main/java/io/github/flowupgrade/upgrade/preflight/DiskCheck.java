package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.Option;

/**
 * Free space in the application directory's filesystem, where the new gems, node modules and compiled assets go (the
 * database dump's own space is checked by the backup against the database's size).
 */
final class DiskCheck {
    private DiskCheck() {}

    static PreflightCheck evaluate(long freeKb, String mount, String appDir, int wantedMib) {
        if (freeKb < 0) {
            return PreflightCheck.warn(PreflightPolicy.DISK, "df could not read the space free for " + appDir);
        }
        long freeMib = freeKb / 1024;
        String figures = freeMib + " MiB free in " + (mount == null ? appDir : mount) + " (holds " + appDir
                + "); wants " + wantedMib + " MiB";
        if (freeMib >= wantedMib) {
            // A pass names no setting: its words are the same in every front end's result.
            return PreflightCheck.pass(PreflightPolicy.DISK, figures);
        }
        return PreflightCheck.fail(
                PreflightPolicy.DISK,
                "only " + figures + " (" + Option.MIN_FREE_DISK.named() + "): new gems, node modules and assets may"
                        + " not fit. Free space first, or set " + Option.MIN_FREE_DISK.named()
                        + " to what this host needs");
    }
}
