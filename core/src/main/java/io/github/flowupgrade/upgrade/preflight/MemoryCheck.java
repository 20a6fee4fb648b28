package io.github.flowupgrade.upgrade.preflight;

import io.github.flowupgrade.Option;
import java.util.List;
import java.util.Map;

/**
 * Memory and swap against what {@code assets:precompile} needs, when the plan recompiles assets: Mastodon's asset
 * build (webpack, then Vite from 4.4) is killed by the kernel (exit 137) on hosts short of memory, after the checkout,
 * leaving the new code without its assets. The services keep running meanwhile, so what counts is what is free now:
 * {@code MemAvailable} plus {@code SwapFree}.
 */
final class MemoryCheck {
    private MemoryCheck() {}

    static PreflightCheck evaluate(Map<String, Long> memoryKb, List<String> assetHops, int wantedMib) {
        Long available = memoryKb.get("MemAvailable");
        long swapFree = memoryKb.getOrDefault("SwapFree", 0L);
        if (available == null) {
            return assetHops.isEmpty()
                    ? PreflightCheck.pass(PreflightPolicy.MEMORY, "the plan recompiles no assets")
                    : PreflightCheck.warn(
                            PreflightPolicy.MEMORY,
                            "/proc/meminfo has no MemAvailable: the memory for assets:precompile was not checked");
        }
        long freeMib = (available + swapFree) / 1024;
        String figures =
                freeMib + " MiB free (MemAvailable " + available / 1024 + " + SwapFree " + swapFree / 1024 + " MiB)";
        if (assetHops.isEmpty()) {
            return PreflightCheck.pass(PreflightPolicy.MEMORY, figures + "; the plan recompiles no assets");
        }
        String need = "assets:precompile of " + String.join(", ", assetHops) + " wants " + wantedMib + " MiB";
        if (freeMib >= wantedMib) {
            // A pass names no setting: its words are the same in every front end's result.
            return PreflightCheck.pass(PreflightPolicy.MEMORY, figures + "; " + need);
        }
        return PreflightCheck.fail(
                PreflightPolicy.MEMORY,
                "only " + figures + "; " + need + " (" + Option.ASSETS_MEMORY.named() + "): the asset build is"
                        + " killed (exit 137) short of memory. Add swap or free memory first, or set "
                        + Option.ASSETS_MEMORY.named() + " to what this host needs");
    }
}
