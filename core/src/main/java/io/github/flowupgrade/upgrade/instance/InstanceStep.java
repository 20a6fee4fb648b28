package io.github.flowupgrade.upgrade.instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of an instance's upgrade as its report shows it.
 *
 * @param host the label of the host it ran on, or null for a step of the whole instance (the manual steps, the
 *     streaming approval)
 * @param hop the release it belongs to, or null
 * @param status as {@link io.github.flowupgrade.upgrade.StepRecord}'s: done, failed, not run, skipped, planned,
 *     pending approval
 */
public record InstanceStep(String name, String host, String hop, String status, long durationMs, String detail) {
    /** "reload web for v4.3.1 on web2.example.org" */
    public String where() {
        return host == null ? name : name + " on " + host;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("host", host);
        map.put("hop", hop);
        map.put("status", status);
        map.put("durationMs", durationMs);
        map.put("detail", detail);
        return map;
    }
}
