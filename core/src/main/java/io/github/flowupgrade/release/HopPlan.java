package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One hop of an upgrade: the release deployed, the releases whose instructions it carries out, and their plan. */
public record HopPlan(String tag, List<String> releases, UpgradePlan plan) {
    public HopPlan {
        releases = List.copyOf(releases);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tag", tag);
        map.put("releases", releases);
        map.put("plan", plan.toMap());
        return map;
    }
}
