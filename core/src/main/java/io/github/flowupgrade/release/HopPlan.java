package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hop of an upgrade: the release deployed, the releases whose instructions it carries out, and their plan.
 *
 * @param downtime the rolling-update cut-off this hop crosses, when it cannot be a rolling update (its migrations
 *     then run with the site stopped, if allowed), else null
 */
public record HopPlan(String tag, List<String> releases, UpgradePlan plan, RollingCutoff downtime) {
    public HopPlan {
        releases = List.copyOf(releases);
    }

    /** A hop that can be a rolling update. */
    public HopPlan(String tag, List<String> releases, UpgradePlan plan) {
        this(tag, releases, plan, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tag", tag);
        map.put("releases", releases);
        map.put("plan", plan.toMap());
        map.put("downtime", downtime == null ? null : downtime.toMap());
        return map;
    }
}
