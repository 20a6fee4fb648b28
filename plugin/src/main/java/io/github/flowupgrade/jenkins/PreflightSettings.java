package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.upgrade.preflight.PreflightPolicy;
import java.io.Serializable;

/**
 * The pre-flight checks and what {@code flowUpgrade} may do beyond a plain rolling upgrade ({@code preflightWarn},
 * {@code assetsMemory}, {@code minFreeDisk}, {@code allowToolchainInstall}, {@code allowDowntime}), as plain values for
 * the agent. Checked on the controller, before anything is sent anywhere.
 *
 * @param warnOnly the checks whose failure only warns, separated by commas; null for none
 * @param assetsMemory MiB of memory and swap wanted free when assets are recompiled; 0 for the default
 * @param minFreeDisk MiB wanted free in the application directory's filesystem; 0 for the default
 */
record PreflightSettings(
        String warnOnly, int assetsMemory, int minFreeDisk, boolean allowToolchainInstall, boolean allowDowntime)
        implements Serializable {
    /** The engine's policy; the same on the agent as on the controller, where {@link #checked} made it first. */
    PreflightPolicy policy() {
        return PreflightPolicy.of(assetsMemory, minFreeDisk, warnOnly, allowToolchainInstall);
    }

    /** These settings, refused on the controller with the engine's words when the engine would refuse them. */
    static PreflightSettings checked(
            String warnOnly, int assetsMemory, int minFreeDisk, boolean allowToolchainInstall, boolean allowDowntime)
            throws AbortException {
        PreflightSettings settings =
                new PreflightSettings(warnOnly, assetsMemory, minFreeDisk, allowToolchainInstall, allowDowntime);
        try {
            settings.policy();
        } catch (FlowException e) {
            throw new AbortException(e.getMessage());
        }
        return settings;
    }
}
