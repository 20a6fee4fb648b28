package io.github.flowupgrade.jenkins;

import java.io.Serializable;
import java.util.List;

/**
 * One host as a step names it, in plain values that are serialized to the agent, where the engine validates them
 * before connecting (as it validates the CLI's options).
 *
 * @param hostKeys pinned SHA256 fingerprints; empty to use {@code knownHostsFile}
 * @param knownHostsFile a known_hosts file on the agent, or null for the agent user's {@code ~/.ssh/known_hosts}
 * @param host one host, or (for {@code flowUpgrade}) several separated by commas, upgraded one after the other
 * @param as {@code direct}, {@code su} or {@code sudo}; null for {@code su} with a root login, else {@code direct}
 * @param dir the working tree, or null for the profile's
 * @param appUser the application user, or null for the profile's
 * @param connectTimeout limit for connecting and logging in, in seconds; 0 for the engine's default
 * @param commandTimeout per-command limit, in seconds; 0 for the engine's default
 */
record HostRequest(
        String app,
        String host,
        int port,
        List<String> hostKeys,
        String knownHostsFile,
        String as,
        String dir,
        String appUser,
        boolean dryRun,
        int connectTimeout,
        int commandTimeout)
        implements Serializable {

    HostRequest {
        hostKeys = List.copyOf(hostKeys);
    }

    /** The hosts named, in order. */
    List<String> hosts() {
        return Params.list(host);
    }
}
