package io.github.flowupgrade.upgrade.services;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of restarting one host's services ({@code flow restart}, {@code flowRestartServices}).
 *
 * @param status {@code done}, {@code pending approval} (streaming waits for a human) or {@code planned} (dry run)
 */
public record RestartResult(
        String host, List<ServiceOutcome> services, StreamingOutcome streaming, long durationMs, String status) {

    public RestartResult {
        services = List.copyOf(services);
    }

    /** The CLI's {@code --json} fields for one host. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        List<Object> list = new ArrayList<>();
        services.forEach(s -> list.add(s.toMap()));
        map.put("services", list);
        map.put("streaming", streaming.toMap());
        map.put("durationMs", durationMs);
        map.put("status", status);
        return map;
    }
}
