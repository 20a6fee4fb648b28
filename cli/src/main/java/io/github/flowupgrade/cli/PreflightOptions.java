package io.github.flowupgrade.cli;

import io.github.flowupgrade.upgrade.preflight.PreflightPolicy;
import picocli.CommandLine.Option;

/** The pre-flight checks before an upgrade changes a host, and what the upgrade may do that a plain one does not. */
final class PreflightOptions {
    @Option(
            names = "--preflight-warn",
            paramLabel = "CHECK[,CHECK]",
            description = "Pre-flight checks whose failure only warns instead of refusing the run: memory, disk, ruby,"
                    + " node, config.")
    String warnOnly;

    @Option(
            names = "--assets-memory",
            paramLabel = "MIB",
            defaultValue = "" + PreflightPolicy.DEFAULT_ASSETS_MEMORY_MIB,
            description = "Memory and swap (MemAvailable + SwapFree) the pre-flight wants free when the plan"
                    + " recompiles assets. Default: ${DEFAULT-VALUE}.")
    int assetsMemory;

    @Option(
            names = "--min-free-disk",
            paramLabel = "MIB",
            defaultValue = "" + PreflightPolicy.DEFAULT_MIN_FREE_DISK_MIB,
            description = "Space the pre-flight wants free in the application directory's filesystem. Default:"
                    + " ${DEFAULT-VALUE}.")
    int minFreeDisk;

    @Option(
            names = "--allow-toolchain-install",
            description = "When a release's .ruby-version names a Ruby the app user's rbenv lacks, update ruby-build"
                    + " and rbenv install it before anything else changes (without it such a host is refused).")
    boolean allowToolchainInstall;

    @Option(
            names = "--allow-downtime",
            description = "Where the release notes say a rolling update from the running version is not supported,"
                    + " stop web, sidekiq and streaming, migrate, and start them (the site is down meanwhile; the"
                    + " summary says how long) instead of going through the release they recommend first.")
    boolean allowDowntime;

    /** @throws io.github.flowupgrade.FlowException {@code BAD_INPUT} for a figure out of range or an unknown check */
    PreflightPolicy policy() {
        return new PreflightPolicy(assetsMemory, minFreeDisk, PreflightPolicy.checks(warnOnly), allowToolchainInstall);
    }
}
