package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.Option;
import java.time.Duration;

/**
 * How long a service may take.
 *
 * @param command the systemctl call itself (a restart waits for the old process to stop)
 * @param comeBack from the action until the unit is active with its new PID and healthy
 * @param poll the pause between two checks
 * @param settle how long after its restart a unit without a health endpoint (sidekiq) is checked once more for
 *     still running the process it came back on; it is also checked with the next service's commands (a crash loop
 *     under {@code Restart=always} shows as a new PID). 0 checks without waiting.
 */
public record RestartTimeouts(Duration command, Duration comeBack, Duration poll, Duration settle) {
    public static RestartTimeouts defaults() {
        return new RestartTimeouts(
                Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofMillis(250), Duration.ZERO);
    }

    /**
     * The defaults with a user's limits: how long a service may take to come back healthy (1 to 3600 s), and how long
     * after its restart sidekiq is checked once more (0 to 600 s).
     */
    public static RestartTimeouts of(long healthSeconds, long settleSeconds) {
        return defaults()
                .withComeBack(Option.HEALTH_TIMEOUT.seconds(healthSeconds, 1, 3600))
                .withSettle(Option.SETTLE.seconds(settleSeconds, 0, 600));
    }

    public RestartTimeouts withComeBack(Duration newComeBack) {
        return new RestartTimeouts(command, newComeBack, poll, settle);
    }

    public RestartTimeouts withSettle(Duration newSettle) {
        return new RestartTimeouts(command, comeBack, poll, newSettle);
    }
}
