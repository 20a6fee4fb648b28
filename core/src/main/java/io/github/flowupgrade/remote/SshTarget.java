package io.github.flowupgrade.remote;

import io.github.flowupgrade.commands.Inputs;

/**
 * One host to reach: where and as whom.
 *
 * @param host host name or address as the user gave it (also the name looked up in known_hosts)
 * @param port SSH port
 * @param login the SSH login user
 */
public record SshTarget(String host, int port, String login) {
    public SshTarget {
        Inputs.host(host);
        Inputs.port(port);
        Inputs.user(login);
    }

    /** {@code host} for port 22, {@code host:port} otherwise, as messages show it. */
    public String display() {
        return port == 22 ? host : host + ":" + port;
    }
}
