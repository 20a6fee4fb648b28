package io.github.flowupgrade.upgrade.services;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this run needs a streaming restart, and why, in words a human approving it can check.
 *
 * @param needed whether the streaming server should be restarted
 * @param reason why (or why not), printed and audited
 */
public record StreamingDecision(boolean needed, String reason) {

    /**
     * @param planSays whether the release notes ask for a streaming restart ({@code ℹ️ Requires streaming API
     *     restart}), null when no plan was given
     * @param planReleases the releases whose notes ask for it
     * @param checkoutSays whether the checkout changed the streaming server's files or packages, null when unknown
     */
    public static StreamingDecision decide(
            StreamingPolicy policy, Boolean planSays, List<String> planReleases, Boolean checkoutSays) {
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
                    planReleases == null || planReleases.isEmpty()
                            ? "the release notes require a streaming restart"
                            : planReleases.size() == 1
                                    ? "the release notes of " + planReleases.get(0) + " require a streaming restart"
                                    : "the release notes of " + planReleases.get(0) + ".."
                                            + planReleases.get(planReleases.size() - 1)
                                            + " require a streaming restart");
        }
        if (Boolean.TRUE.equals(checkoutSays)) {
            reasons.add("the checkout changed the streaming server's files or packages");
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
}
