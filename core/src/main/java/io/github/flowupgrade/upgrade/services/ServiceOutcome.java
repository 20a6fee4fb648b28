package io.github.flowupgrade.upgrade.services;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened to one unit.
 *
 * @param name the systemd unit
 * @param role {@code sidekiq}, {@code web} or {@code streaming}
 * @param result {@code restarted}, {@code reloaded}, {@code failed} or {@code planned} (dry run)
 * @param mainPidBefore the unit's main PID before the action, null when unknown (dry run)
 * @param mainPidAfter the main PID once it came back, null when it did not
 * @param healthy whether the health endpoint answered (or, without one, whether the unit stayed active)
 */
public record ServiceOutcome(
        String name,
        String role,
        ServiceAction action,
        String result,
        Long mainPidBefore,
        Long mainPidAfter,
        boolean healthy,
        long durationMs) {

    public boolean succeeded() {
        return !"failed".equals(result);
    }

    /** The CLI's {@code --json} fields of one service. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("role", role);
        map.put("action", action.verb());
        map.put("result", result);
        map.put("mainPidBefore", mainPidBefore);
        map.put("mainPidAfter", mainPidAfter);
        map.put("healthy", healthy);
        map.put("durationMs", durationMs);
        return map;
    }
}
