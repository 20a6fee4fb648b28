package io.github.flowupgrade.upgrade.checkout;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostLock;

/**
 * What to check out, validated before any connection.
 *
 * @param dir the working tree on the host
 * @param tag the release tag to check out (null for a rollback)
 * @param expectCommit the commit the tag must point at (its full id), or null
 * @param rollback return to the commit before the last successful checkout instead
 * @param forceUnlock remove a lock left by a run that died before taking it
 * @param actor who asks, for the lock and the history ({@code user@machine} or the CI user)
 * @param build the CI build asking, or null
 * @param keepLocalCommits check out even when {@code HEAD} has commits no tag or branch reaches, keeping them under a
 *     ref flow creates ({@code refs/flow-upgrade/kept/<time>}); without it such a host is refused
 */
public record CheckoutRequest(
        String dir,
        ReleaseTag tag,
        String expectCommit,
        boolean rollback,
        boolean forceUnlock,
        String actor,
        String build,
        boolean keepLocalCommits) {
    public CheckoutRequest {
        Inputs.dir(dir);
        if (rollback) {
            if (tag != null || expectCommit != null) {
                throw FlowException.badInput(
                        Option.ROLLBACK.named() + " returns to the recorded previous commit: give no "
                                + Option.TAG.named() + " or " + Option.EXPECT_COMMIT.named() + " with it");
            }
        } else {
            if (tag == null) {
                throw FlowException.badInput("missing " + Option.TAG.named() + ": the release to check out");
            }
            if (expectCommit != null) {
                Inputs.commit(expectCommit);
            }
        }
        actor = oneLine(actor == null || actor.isBlank() ? "unknown" : actor);
        build = build == null ? null : oneLine(build);
    }

    /** A request that refuses a host with local commits. */
    public CheckoutRequest(
            String dir,
            ReleaseTag tag,
            String expectCommit,
            boolean rollback,
            boolean forceUnlock,
            String actor,
            String build) {
        this(dir, tag, expectCommit, rollback, forceUnlock, actor, build, false);
    }

    /** The state directory next to the working tree: {@code /home/mastodon/live} keeps it in {@code /home/mastodon}. */
    public String stateDir() {
        return HostLock.stateDir(dir);
    }

    /** What the run is for, as the lock and messages show it. */
    public String purpose() {
        return rollback ? "rollback" : "checkout " + tag;
    }

    private static String oneLine(String value) {
        String cleaned = value.replaceAll("[\\p{Cntrl}]", "?");
        return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
    }
}
