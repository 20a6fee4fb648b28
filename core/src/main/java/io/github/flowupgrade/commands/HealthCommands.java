package io.github.flowupgrade.commands;

import java.net.URI;
import java.time.Duration;

/**
 * Probes run on the host itself: health endpoints (which listen on the host's loopback behind nginx) and the versions
 * of the tools a release requires. Version probes run as the application user in its directory, where rbenv or nvm
 * select the versions the application really uses.
 */
public final class HealthCommands {
    private HealthCommands() {}

    /** Prints the body and exits non-zero on an HTTP error, a refused connection or after {@code maxTime}. */
    public static Command probe(URI url, Duration maxTime) {
        String scheme = url.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        long seconds = Math.max(1, (maxTime.toMillis() + 999) / 1000);
        return Command.of("curl", "-fsS", "--max-time", Long.toString(seconds), url.toString());
    }

    public static Command rubyVersion() {
        return Command.of("ruby", "-v");
    }

    public static Command nodeVersion() {
        return Command.of("node", "-v");
    }

    /** The PostgreSQL client's version; a host with the server elsewhere still has the client Mastodon uses. */
    public static Command postgresqlVersion() {
        return Command.of("psql", "--version");
    }

    /** {@code redis-server} on a single-host install, else the client. */
    public static Command redisVersion() {
        return Command.of("sh", "-c", "redis-server --version 2>/dev/null || redis-cli --version");
    }
}
