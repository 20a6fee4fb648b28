package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.AppProfile;
import java.util.List;

/**
 * What {@code flow restart} and {@code flowRestartServices} do on each host.
 *
 * @param roles the services restarted unconditionally, in order ({@code sidekiq}, {@code web}); may be empty
 * @param planSays whether the release plan asks for a streaming restart, or null without a plan
 * @param planReleases the releases whose notes ask for it ({@code streamingRestartBy} of the plan)
 * @param checkoutSays whether the checkout changed the streaming server, or null without a checkout result
 * @param webAction how web is restarted: {@code RELOAD} (phased, the default) or {@code RESTART}
 * @param checkoutPaths the streaming paths the checkout changed, when known (named in the reason)
 */
public record RestartRequest(
        AppProfile profile,
        List<String> roles,
        StreamingPolicy streaming,
        Boolean planSays,
        List<String> planReleases,
        Boolean checkoutSays,
        RestartTimeouts timeouts,
        ServiceAction webAction,
        List<String> checkoutPaths) {

    public RestartRequest {
        roles = List.copyOf(roles);
        for (String role : roles) {
            if (!role.equals(ServiceRestarts.SIDEKIQ) && !role.equals(ServiceRestarts.WEB)) {
                throw FlowException.badInput(Option.SERVICES.named() + " takes sidekiq, web (or none); streaming is"
                        + " restarted only through " + Option.STREAMING.named() + " and its approval, not "
                        + role.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        planReleases = planReleases == null ? List.of() : List.copyOf(planReleases);
        webAction = webAction == null ? ServiceAction.RELOAD : webAction;
        checkoutPaths = checkoutPaths == null ? List.of() : List.copyOf(checkoutPaths);
    }

    /** A request without the paths a checkout changed. */
    public RestartRequest(
            AppProfile profile,
            List<String> roles,
            StreamingPolicy streaming,
            Boolean planSays,
            List<String> planReleases,
            Boolean checkoutSays,
            RestartTimeouts timeouts,
            ServiceAction webAction) {
        this(profile, roles, streaming, planSays, planReleases, checkoutSays, timeouts, webAction, List.of());
    }

    /** A request that reloads web, as Mastodon's guide does. */
    public RestartRequest(
            AppProfile profile,
            List<String> roles,
            StreamingPolicy streaming,
            Boolean planSays,
            List<String> planReleases,
            Boolean checkoutSays,
            RestartTimeouts timeouts) {
        this(profile, roles, streaming, planSays, planReleases, checkoutSays, timeouts, ServiceAction.RELOAD);
    }
}
