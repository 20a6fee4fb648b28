package io.github.flowupgrade.upgrade;

import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.release.HopPlan;
import io.github.flowupgrade.release.ReleaseLookupResult;
import io.github.flowupgrade.release.RollingCutoff;
import io.github.flowupgrade.release.UpgradePlan;
import io.github.flowupgrade.upgrade.preflight.Preflight;
import io.github.flowupgrade.upgrade.tasks.UpgradeTasks;
import java.util.List;

/**
 * Where an upgrade goes, as the release lookup worked it out: the releases crossed, the whole plan (for the summary
 * and the requirement check) and the hops actually deployed, each with the plan of the releases it covers.
 *
 * @param from the version the host runs
 * @param target the release asked for
 * @param releases every release in the range, oldest first
 * @param commit the target tag's commit when the lookup resolved it, else null
 */
public record UpgradePath(
        String from, String target, String commit, List<String> releases, UpgradePlan plan, List<Hop> hops) {
    public UpgradePath {
        releases = List.copyOf(releases);
        hops = List.copyOf(hops);
    }

    /** The path a release lookup found from the host's version; only the target's commit is known in advance. */
    public static UpgradePath of(ReleaseLookupResult lookup) {
        String target = lookup.target().tagName();
        List<Hop> hops = lookup.hopPlans().stream()
                .map(h -> fromHop(h, h.tag().equals(target) ? lookup.commit() : null))
                .toList();
        return new UpgradePath(lookup.from(), target, lookup.commit(), lookup.releases(), lookup.plan(), hops);
    }

    /**
     * What the pre-flight checks look at on a host that goes along this path: every hop's release, and the memory for
     * the hops that recompile assets.
     *
     * @param preview a tag whose pending migrations to read in the same round trip, or null
     */
    public Preflight.Request preflightRequest(
            String holder, boolean forceUnlock, Preflight.LockUse lockUse, ReleaseTag preview) {
        List<String> assets = hops.stream()
                .filter(h -> h.plan().assetsPrecompile())
                .map(h -> h.tag().name())
                .toList();
        return new Preflight.Request(
                hops.stream().map(Hop::tag).toList(), assets, holder, forceUnlock, lockUse, preview);
    }

    /** A hop's tag comes from a GitHub release: checked here, once, before any command is built with it. */
    private static Hop fromHop(HopPlan hop, String commit) {
        return new Hop(ReleaseTag.of(hop.tag()), commit, hop.releases(), hop.plan(), hop.downtime());
    }

    /**
     * One deployed release.
     *
     * @param commit the commit the tag must point at on the host (from ls-remote), or null when unknown
     * @param releases the releases whose instructions this hop carries out (skipped ones and itself)
     * @param downtime the rolling-update cut-off this hop crosses (its migrations need the site stopped), or null
     */
    public record Hop(ReleaseTag tag, String commit, List<String> releases, UpgradePlan plan, RollingCutoff downtime) {
        public Hop {
            releases = List.copyOf(releases);
        }

        /** A hop that can be a rolling update. */
        public Hop(ReleaseTag tag, String commit, List<String> releases, UpgradePlan plan) {
            this(tag, commit, releases, plan, null);
        }

        /** Whether this hop's tasks run a database migration. */
        public boolean migrates() {
            return plan.tasks().stream().anyMatch(UpgradeTasks::migrates);
        }
    }

    /** Whether any hop runs a database migration. */
    public boolean migrates() {
        return hops.stream().anyMatch(Hop::migrates);
    }
}
