package io.github.flowupgrade.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a release lookup: the target, the range from the host's version, the hops, and the upgrade plan.
 * {@link #toMap()} is exactly the object {@code flow fetch-release --json} prints and {@code flowFetchRelease} returns.
 *
 * @param commit the target tag's commit, or null when no git URL was given
 * @param from the host's version as given, or null
 * @param releases the tags in the range, oldest first
 * @param hops the tags deployed in turn, oldest first
 * @param apiRequests HTTP requests this lookup made (304s included; they cost no rate limit)
 * @param rateLimitRemaining GitHub's {@code X-RateLimit-Remaining} after the last request, or null
 * @param warnings what the console was warned about
 */
public record ReleaseLookupResult(
        GitHubRelease target,
        String commit,
        String from,
        List<String> releases,
        boolean majorOrMinorJump,
        List<String> hops,
        List<HopPlan> hopPlans,
        int apiRequests,
        Integer rateLimitRemaining,
        UpgradePlan plan,
        List<String> warnings) {

    public ReleaseLookupResult {
        releases = List.copyOf(releases);
        hops = List.copyOf(hops);
        hopPlans = List.copyOf(hopPlans);
        warnings = List.copyOf(warnings);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tag", target.tagName());
        map.put("name", target.name());
        map.put("url", target.htmlUrl());
        map.put("publishedAt", target.publishedAt());
        map.put("prerelease", target.isPreRelease());
        map.put("commit", commit);
        map.put("from", from);
        map.put("releases", releases);
        map.put("majorOrMinorJump", majorOrMinorJump);
        map.put("hops", hops);
        map.put("hopPlans", hopPlans.stream().map(HopPlan::toMap).toList());
        map.put("apiRequests", apiRequests);
        map.put("rateLimitRemaining", rateLimitRemaining);
        map.put("plan", plan.toMap());
        map.put("warnings", warnings);
        return map;
    }
}
