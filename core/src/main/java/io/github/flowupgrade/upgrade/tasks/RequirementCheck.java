package io.github.flowupgrade.upgrade.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One minimum version checked on a host.
 *
 * @param found the version the host reported, null when the tool is missing
 * @param met whether {@code found} is at least {@code required}
 */
public record RequirementCheck(String dependency, String required, String found, boolean met) {
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dependency", dependency);
        map.put("required", required);
        map.put("found", found);
        map.put("met", met);
        return map;
    }
}
