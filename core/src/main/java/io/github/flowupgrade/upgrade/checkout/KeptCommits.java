package io.github.flowupgrade.upgrade.checkout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local commits a checkout moved away from, kept reachable under a ref it created so {@code git gc} never drops them.
 *
 * @param ref the ref, such as {@code refs/flow-upgrade/kept/20261123T100000Z}, which points at {@code commits}' first
 * @param commits the full ids of the commits no tag or branch reached, newest first
 */
public record KeptCommits(String ref, List<String> commits) {
    public KeptCommits {
        commits = List.copyOf(commits);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ref", ref);
        map.put("commits", commits);
        return map;
    }
}
