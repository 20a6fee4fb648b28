package io.github.flowupgrade.upgrade;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of a run as the summary reports it.
 *
 * @param hop the release the step belongs to, or null for steps of the whole run
 * @param status {@code done}, {@code failed}, {@code not run}, {@code pending approval}, {@code skipped} or
 *     {@code planned}
 * @param detail what came of it, one line
 */
public record StepRecord(String name, String hop, String status, long durationMs, String detail) {
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String NOT_RUN = "not run";
    public static final String SKIPPED = "skipped";
    public static final String PLANNED = "planned";
    public static final String PENDING = "pending approval";

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("hop", hop);
        map.put("status", status);
        map.put("durationMs", durationMs);
        map.put("detail", detail);
        return map;
    }
}
