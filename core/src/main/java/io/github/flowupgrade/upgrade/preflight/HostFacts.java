package io.github.flowupgrade.upgrade.preflight;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pre-flight round trip read about the host itself.
 *
 * @param memoryKb the {@code /proc/meminfo} lines read ({@code MemAvailable}, {@code SwapFree}...), in kB; empty when
 *     unreadable
 * @param diskFreeKb the space free for the application user in the application directory's filesystem, or -1
 * @param diskMount that filesystem's mount point, or null
 * @param rbenvRoot the application user's rbenv root, or null without rbenv
 * @param rbenvVersions the Rubies rbenv has installed
 * @param ruby {@code ruby -v} in the application directory, or null when there is none
 * @param node {@code node -v}, or null when there is none
 * @param corepack where {@code corepack} is, or null
 * @param yarn where {@code yarn} leads once symbolic links are followed (into corepack when corepack is enabled), or
 *     null
 * @param yarnVersion {@code yarn --version} when yarn is not corepack's shim, else null
 * @param settings the names {@code .env.production} sets, or null when it could not be read
 */
record HostFacts(
        Map<String, Long> memoryKb,
        long diskFreeKb,
        String diskMount,
        String rbenvRoot,
        List<String> rbenvVersions,
        String ruby,
        String node,
        String corepack,
        String yarn,
        String yarnVersion,
        Set<String> settings) {}
