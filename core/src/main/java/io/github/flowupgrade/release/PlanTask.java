package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One upgrade task of a plan: what runs, when, and which releases asked for it (oldest first). */
public record PlanTask(TaskKind kind, String command, List<String> releases) {
    public PlanTask {
        releases = List.copyOf(releases);
    }

    public Phase phase() {
        return kind.phase();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("phase", phase().wireName());
        map.put("command", command);
        map.put("releases", releases);
        return map;
    }
}
