package io.github.flowupgrade.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * How to connect to every host of a run.
 *
 * @param identity the private key
 * @param hostKeys which host keys are accepted
 * @param connectTimeout limit for the TCP connection, key exchange and authentication
 * @param keepAlive interval of SSH keepalive messages, so a dead peer is noticed during a long command
 */
public record ConnectionSettings(
        SshIdentity identity, HostKeyPolicy hostKeys, Duration connectTimeout, Duration keepAlive) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(15);

    public ConnectionSettings {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(hostKeys, "hostKeys");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        }
        if (keepAlive == null || keepAlive.isNegative() || keepAlive.isZero()) {
            keepAlive = DEFAULT_KEEPALIVE;
        }
    }

    public ConnectionSettings(SshIdentity identity, HostKeyPolicy hostKeys) {
        this(identity, hostKeys, DEFAULT_CONNECT_TIMEOUT, DEFAULT_KEEPALIVE);
    }
}
