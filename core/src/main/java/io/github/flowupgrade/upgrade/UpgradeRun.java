package io.github.flowupgrade.upgrade;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an upgrade of several hosts ended: each host's {@link UpgradeResult} in the order they ran, and the hosts it
 * never started because an earlier one did not make it.
 */
public record UpgradeRun(String target, List<UpgradeResult> hosts, List<String> notRun) {
    public UpgradeRun {
        hosts = List.copyOf(hosts);
        notRun = List.copyOf(notRun);
    }

    /** The host that stopped the run, or null when every host made it. */
    public UpgradeResult failed() {
        return hosts.stream().filter(h -> !h.succeeded()).findFirst().orElse(null);
    }

    public boolean succeeded() {
        return failed() == null;
    }

    /** 0 when every host made it, else the exit code of the host that stopped the run. */
    public int exitCode() {
        UpgradeResult failed = failed();
        return failed == null ? 0 : failed.exitCode();
    }

    /** The object {@code flow upgrade --json} prints and {@code flowUpgrade} returns. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tag", target);
        map.put("exitCode", exitCode());
        map.put(
                "hosts",
                new ArrayList<>(hosts.stream().map(UpgradeResult::toMap).toList()));
        map.put("notRun", notRun);
        return map;
    }
}
