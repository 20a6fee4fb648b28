package io.github.flowupgrade.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure: what it is, the value, the target it is held to, whether it met it, and the measurements the
 * value was computed from (so a reader can redo the arithmetic).
 *
 * @param id short key in the JSON ({@code upgrade-vs-floor})
 * @param name what the figure says, for the table
 * @param value the measured value
 * @param unit {@code x} for a ratio, {@code requests}, {@code MiB}
 * @param target the target as text ({@code <= 1.3})
 * @param pass whether the value meets the target
 * @param details the raw measurements and conditions
 */
public record Figure(
        String id, String name, double value, String unit, String target, boolean pass, Map<String, Object> details) {
    public Figure {
        details = new LinkedHashMap<>(details);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", id);
        map.put("name", name);
        map.put("value", value);
        map.put("unit", unit);
        map.put("target", target);
        map.put("pass", pass);
        map.put("details", details);
        return map;
    }
}
