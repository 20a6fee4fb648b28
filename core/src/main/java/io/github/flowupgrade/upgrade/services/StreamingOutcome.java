package io.github.flowupgrade.upgrade.services;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming part of a run: whether a restart was needed and why, who approved it, whether it happened.
 *
 * @param status {@code not needed}, {@code restarted}, {@code pending approval}, {@code denied}, {@code timed out},
 *     {@code planned} (dry run) or {@code failed}
 */
public record StreamingOutcome(
        boolean needed,
        String reason,
        boolean approved,
        String approvedBy,
        Instant approvedAt,
        boolean restarted,
        String status,
        List<ServiceOutcome> services) {

    public static final String NOT_NEEDED = "not needed";
    public static final String RESTARTED = "restarted";
    public static final String PENDING = "pending approval";
    public static final String DENIED = "denied";
    public static final String TIMED_OUT = "timed out";
    public static final String PLANNED = "planned";

    public StreamingOutcome {
        services = List.copyOf(services);
    }

    /**
     * Streaming after a hop that stopped and started the whole site ({@link Downtime}): it already runs the new code,
     * restarted with the others under the downtime's allowance, which stands for the streaming approval.
     *
     * @param services the run's service outcomes; the streaming ones of the restart are kept
     */
    public static StreamingOutcome withTheSite(DowntimeOutcome downtime, List<ServiceOutcome> services) {
        boolean planned = DowntimeOutcome.PLANNED.equals(downtime.status());
        List<ServiceOutcome> streaming = services.stream()
                .filter(s -> ServiceRestarts.STREAMING.equals(s.role()) && s.action() == ServiceAction.RESTART)
                .toList();
        return new StreamingOutcome(
                true,
                "started with the site after " + downtime.hop() + "'s migrations (downtime allowed by "
                        + downtime.allowedBy() + ")",
                true,
                downtime.allowedBy(),
                downtime.endedAt(),
                !planned,
                planned ? PLANNED : RESTARTED,
                streaming);
    }

    public boolean pending() {
        return PENDING.equals(status) || TIMED_OUT.equals(status);
    }

    /** The CLI's {@code --json} {@code streaming} object. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("needed", needed);
        map.put("reason", reason);
        map.put("approved", approved);
        map.put("approvedBy", approvedBy);
        map.put("approvedAt", approvedAt == null ? null : approvedAt.toString());
        map.put("restarted", restarted);
        map.put("status", status);
        List<Object> units = new ArrayList<>();
        services.forEach(s -> units.add(s.toMap()));
        map.put("services", units);
        return map;
    }
}
