package io.github.flowupgrade.cli;

import io.github.flowupgrade.upgrade.services.RestartTimeouts;
import io.github.flowupgrade.upgrade.services.ServiceAction;
import picocli.CommandLine.Option;

/**
 * How services are restarted and judged healthy: the options {@code restart} and {@code upgrade} share ({@code @Mixin
 * ServiceRestartOptions restarts;}), validated by their accessors.
 */
final class ServiceRestartOptions {
    @Option(
            names = "--health-timeout",
            paramLabel = "SECONDS",
            defaultValue = "60",
            description = "How long a service may take to come back healthy (default: ${DEFAULT-VALUE}).")
    int healthTimeout;

    @Option(
            names = "--settle",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Sidekiq has no health endpoint: after its restart it must still run the same process when"
                    + " web has been reloaded, and again this many seconds after the restart (default:"
                    + " ${DEFAULT-VALUE}: no extra wait). 15 to 30 also catches a crash while Rails boots.")
    int settle;

    @Option(
            names = "--web-action",
            paramLabel = "reload|restart",
            defaultValue = "reload",
            description = "How web is restarted: reload (a phased restart that drops no request, as Puma does on"
                    + " SIGUSR1) or restart (for a web server without one). Default: ${DEFAULT-VALUE}.")
    String webAction;

    /** The default time limits, with {@code --health-timeout} and {@code --settle}. */
    RestartTimeouts timeouts() {
        return RestartTimeouts.of(healthTimeout, settle);
    }

    /** {@code --web-action}: reload (the default) or restart. */
    ServiceAction webAction() {
        return ServiceAction.webAction(webAction);
    }
}
