package io.github.flowupgrade.upgrade;

import java.time.Duration;

/**
 * How long a service may take.
 *
 * @param command the systemctl call itself (a restart waits for the old process to stop)
 * @param comeBack from the action until the unit is active with its new PID and healthy
 * @param poll the pause between two checks
 * @param settle how long a unit without a health endpoint must stay up on the same PID (catches crash loops)
 */
public record RestartTimeouts(Duration command, Duration comeBack, Duration poll, Duration settle) {
    public static RestartTimeouts defaults() {
        return new RestartTimeouts(
                Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofMillis(250), Duration.ofSeconds(1));
    }

    public RestartTimeouts withComeBack(Duration newComeBack) {
        return new RestartTimeouts(command, newComeBack, poll, settle);
    }
}
