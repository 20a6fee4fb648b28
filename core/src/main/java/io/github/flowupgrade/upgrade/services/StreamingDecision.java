package io.github.flowupgrade.upgrade.services;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this run needs a streaming restart, and why, in words a human approving it can check: the releases whose
 * notes asked for it, the changed paths when the checkout decided it. The words name no front end's options, so the
 * CLI's {@code --json} and the plugin's result say the same.
 *
 * @param needed whether the streaming server should be restarted
 * @param reason why (or why not), printed and audited
 */
public record StreamingDecision(boolean needed, String reason) {
    /** Paths named in a reason; the rest are counted. */
    private static final int PATHS_NAMED = 3;

    /** As {@link #decide(StreamingPolicy, Boolean, List, Boolean, List)}, without the changed paths. */
    public static StreamingDecision decide(
            StreamingPolicy policy, Boolean planSays, List<String> askedBy, Boolean checkoutSays) {
        return decide(policy, planSays, askedBy, checkoutSays, List.of());
    }

    /**
     * @param planSays whether the release notes ask for a streaming restart ({@code ℹ️ Requires streaming API
     *     restart}), null when no plan was given
     * @param askedBy the releases whose notes ask for it (not the whole range: those are named as the reason)
     * @param checkoutSays whether the checkout changed the streaming server's files or packages, null when unknown
     * @param changedPaths the streaming paths the checkout changed, when known
     */
    public static StreamingDecision decide(
            StreamingPolicy policy,
            Boolean planSays,
            List<String> askedBy,
            Boolean checkoutSays,
            List<String> changedPaths) {
        switch (policy) {
            case NEVER:
                return new StreamingDecision(false, "the streaming policy is never");
            case ALWAYS:
                return new StreamingDecision(true, "the streaming policy is always");
            default:
                break;
        }
        List<String> reasons = new ArrayList<>();
        if (Boolean.TRUE.equals(planSays)) {
            reasons.add(
                    askedBy == null || askedBy.isEmpty()
                            ? "the release notes require a streaming restart"
                            : "the release notes of " + String.join(", ", askedBy) + " require a streaming restart");
        }
        if (Boolean.TRUE.equals(checkoutSays)) {
            reasons.add("the checkout changed the streaming server's files or packages" + paths(changedPaths));
        }
        if (!reasons.isEmpty()) {
            return new StreamingDecision(true, String.join("; ", reasons));
        }
        if (planSays == null && checkoutSays == null) {
            return new StreamingDecision(
                    false,
                    "no release plan and no checkout result to decide from (the streaming policy always forces it)");
        }
        return new StreamingDecision(false, "neither the release notes nor the checked-out changes require it");
    }

    /** " (streaming/index.js, streaming/package.json and 4 more)", or nothing without paths. */
    private static String paths(List<String> changed) {
        if (changed == null || changed.isEmpty()) {
            return "";
        }
        List<String> named = changed.subList(0, Math.min(PATHS_NAMED, changed.size()));
        int more = changed.size() - named.size();
        return " (" + String.join(", ", named) + (more > 0 ? " and " + more + " more" : "") + ")";
    }
}
