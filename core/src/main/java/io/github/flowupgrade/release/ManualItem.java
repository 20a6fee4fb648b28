package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item of release notes in an {@link UpgradePlan}, kept verbatim (as plain text, never run): in
 * {@link UpgradePlan#manual()} an instruction for a human to carry out; in the plan's other lists a Docker-only
 * instruction, information, a dependency line, or a step flow carries out itself.
 *
 * @param release the oldest release in the range that gives it
 * @param text the instruction as the notes word it
 * @param releases every release in the range that gives it, oldest first
 */
public record ManualItem(String release, String text, List<String> releases) {
    public ManualItem {
        releases = List.copyOf(releases);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("release", release);
        map.put("text", text);
        map.put("releases", releases);
        return map;
    }
}
