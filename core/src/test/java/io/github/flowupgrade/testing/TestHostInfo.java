package io.github.flowupgrade.testing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code testhost up} reports about a booted test host (its JSON, field for field). Addresses are valid only
 * inside {@link #namespace()}.
 *
 * @param name the host's name ({@code testhost up --name})
 * @param app the app whose shape the host has ({@code testhost up --app}): mastodon or flow
 * @param namespace the network namespace clients must run in ({@code ip netns exec})
 * @param sshHost the address sshd listens on inside the namespace, 127.0.0.1
 * @param sshPort sshd's port inside the namespace
 * @param hostKeyFingerprint the ed25519 host key's fingerprint, {@code SHA256:...}
 * @param hostKeyPublic the host key as {@code ssh-ed25519 AAAA...}
 * @param knownHosts a known_hosts file on this machine holding exactly that key for {@code sshHost}
 * @param clientKey an ed25519 private key on this machine (mode 600) authorized for every login
 * @param logins the accounts the client key opens: root, mastodon (the app user) and deploy (sudo rules)
 * @param machine the container's machine name and hostname
 * @param leaderPid the container's PID 1 as seen from this machine
 * @param appDir the application checkout, {@code /home/mastodon/live} (or {@code /home/flow/live})
 * @param appUser the application user, mastodon (or flow)
 * @param services the app's units: web, sidekiq and streaming, in that order
 * @param upstream the bare repository {@code appDir} was cloned from
 * @param tags the upstream's release tags, oldest first
 * @param sharedDirOnMachine for a host of a test instance ({@code --share-db}, {@code --db-of}), the directory of
 *     this machine mounted into every host of the instance at {@code /srv/flow-shared} (the database's socket, the
 *     instance's task log); else null
 * @param databaseOf the host whose database this one uses ({@code --db-of}), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestHostInfo(
        String name,
        String app,
        String namespace,
        String sshHost,
        int sshPort,
        String hostKeyFingerprint,
        String hostKeyPublic,
        Path knownHosts,
        Path clientKey,
        List<String> logins,
        String machine,
        long leaderPid,
        String appDir,
        String appUser,
        List<String> services,
        int webPort,
        int streamingPort,
        Upstream upstream,
        String initialTag,
        List<Tag> tags,
        Path sharedDirOnMachine,
        String databaseOf) {

    /**
     * The upstream repository.
     *
     * @param url its git URL as seen from inside the container (the {@code origin} of {@code appDir})
     * @param hostPath the same repository's path on this machine, while the host is up
     * @param defaultBranch the branch its HEAD names: main (Mastodon's shape) or master (Flow's)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Upstream(String url, Path hostPath, String defaultBranch) {}

    /** A release tag of the upstream and the commit it points to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tag(String name, String commit, boolean annotated) {}
}
