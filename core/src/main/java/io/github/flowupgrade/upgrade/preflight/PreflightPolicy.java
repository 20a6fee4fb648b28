package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the pre-flight checks judge a host, validated before any connection.
 *
 * @param assetsMemoryMib memory and swap ({@code MemAvailable} plus {@code SwapFree}) wanted free when the plan
 *     recompiles assets: Mastodon's asset build (webpack, Vite since 4.4) is killed (exit 137) on hosts with less
 * @param minFreeDiskMib space wanted free in the application directory's filesystem for the new gems, node modules
 *     and assets (the database dump's own space is checked by the backup, against the database's size)
 * @param warnOnly the checks whose failure only warns ({@link #CHECKS})
 * @param allowToolchainInstall let the upgrade install the Ruby a release names with rbenv (after updating
 *     ruby-build), instead of refusing when it is missing
 */
public record PreflightPolicy(
        int assetsMemoryMib, int minFreeDiskMib, Set<String> warnOnly, boolean allowToolchainInstall) {
    public static final String MEMORY = "memory";
    public static final String DISK = "disk";
    public static final String RUBY = "ruby";
    public static final String NODE = "node";
    public static final String CONFIG = "config";

    /** Every check, in the order the table shows them. */
    public static final List<String> CHECKS = List.of(MEMORY, DISK, RUBY, NODE, CONFIG);

    public static final int DEFAULT_ASSETS_MEMORY_MIB = 2048;
    public static final int DEFAULT_MIN_FREE_DISK_MIB = 2048;

    /** 16 TiB: any larger figure is a mistake. */
    private static final int MAX_MIB = 16 * 1024 * 1024;

    public PreflightPolicy {
        range(Option.ASSETS_MEMORY, assetsMemoryMib);
        range(Option.MIN_FREE_DISK, minFreeDiskMib);
        warnOnly = Set.copyOf(warnOnly);
        for (String check : warnOnly) {
            if (!CHECKS.contains(check)) {
                throw FlowException.badInput(Option.PREFLIGHT_WARN.named() + " names checks among "
                        + String.join(", ", CHECKS) + "; not " + Inputs.printable(check));
            }
        }
    }

    /** The documented defaults: every check may fail the run, no toolchain is installed. */
    public static PreflightPolicy defaults() {
        return new PreflightPolicy(DEFAULT_ASSETS_MEMORY_MIB, DEFAULT_MIN_FREE_DISK_MIB, Set.of(), false);
    }

    /**
     * The policy a front end's values make: a figure of 0 keeps its default, {@code warnOnly} is a comma- or
     * space-separated list of check names (null or blank for none).
     *
     * @throws FlowException {@code BAD_INPUT} naming the setting for a figure out of range or an unknown check
     */
    public static PreflightPolicy of(int assetsMemoryMib, int minFreeDiskMib, String warnOnly, boolean allowInstall) {
        return new PreflightPolicy(
                assetsMemoryMib == 0 ? DEFAULT_ASSETS_MEMORY_MIB : assetsMemoryMib,
                minFreeDiskMib == 0 ? DEFAULT_MIN_FREE_DISK_MIB : minFreeDiskMib,
                checks(warnOnly),
                allowInstall);
    }

    /** The check names of a comma- or space-separated list. */
    public static Set<String> checks(String list) {
        Set<String> names = new LinkedHashSet<>();
        if (list == null) {
            return names;
        }
        for (String name : list.split("[,\\s]+")) {
            if (!name.isEmpty()) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static void range(Option option, int mib) {
        if (mib < 1 || mib > MAX_MIB) {
            throw FlowException.badInput(option.named() + " must be 1 to " + MAX_MIB + " MiB, not " + mib);
        }
    }
}
