package io.github.flowupgrade.release;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.HopRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The releases between the version a host runs ({@code from}, exclusive) and the target (inclusive), oldest first in
 * semver order (never by date: several series get patches at the same time), and the hops an upgrade deploys on the
 * way.
 *
 * @param releases the releases whose instructions apply, oldest first
 * @param hops the releases actually deployed, oldest first, ending with the target (empty when already there)
 * @param downgrade the target is older than {@code from}
 */
public record ReleaseRange(
        GitHubRelease target,
        ReleaseVersion from,
        List<GitHubRelease> releases,
        List<GitHubRelease> hops,
        boolean downgrade) {

    public ReleaseRange {
        releases = List.copyOf(releases);
        hops = List.copyOf(hops);
    }

    /**
     * Chooses the range among {@code known} releases (drafts already dropped). Pre-releases count only when asked for
     * or when the target is one. A downgrade is refused unless {@code allowDowngrade}.
     */
    public static ReleaseRange between(
            List<GitHubRelease> known,
            GitHubRelease target,
            ReleaseVersion from,
            boolean includePreReleases,
            HopRule rule,
            boolean allowDowngrade) {
        ReleaseVersion to = target.version()
                .orElseThrow(() -> FlowException.badInput("release " + target.tagName() + " does not name a version"));
        if (from == null) {
            return new ReleaseRange(target, null, List.of(target), List.of(target), false);
        }
        int direction = from.compareTo(to);
        if (direction == 0) {
            return new ReleaseRange(target, from, List.of(), List.of(), false);
        }
        if (direction > 0) {
            if (!allowDowngrade) {
                throw FlowException.refused("refusing to downgrade from v" + from + " to " + target.tagName()
                        + ": Mastodon publishes no rollback steps and its migrations do not run backwards. Restore the "
                        + "database backup taken before the upgrade to v" + from + " instead, or pass "
                        + Option.ALLOW_DOWNGRADE.set() + " if you know the database fits " + target.tagName() + ".");
            }
            return new ReleaseRange(target, from, List.of(), List.of(target), true);
        }
        boolean pre = includePreReleases || target.isPreRelease();
        Map<ReleaseVersion, GitHubRelease> byVersion = new LinkedHashMap<>();
        for (GitHubRelease release : known) {
            Optional<ReleaseVersion> v = release.version();
            if (v.isEmpty() || release.draft() || (!pre && release.isPreRelease())) {
                continue;
            }
            if (v.get().compareTo(from) > 0 && v.get().compareTo(to) <= 0) {
                byVersion.putIfAbsent(withoutBuild(v.get()), release);
            }
        }
        byVersion.put(withoutBuild(to), target);
        List<GitHubRelease> releases = new ArrayList<>(byVersion.values());
        releases.sort(Comparator.comparing(r -> r.version().orElseThrow()));
        return new ReleaseRange(target, from, releases, hops(releases, from, to, rule), false);
    }

    private static ReleaseVersion withoutBuild(ReleaseVersion v) {
        return new ReleaseVersion(v.major(), v.minor(), v.patch(), v.preRelease(), null);
    }

    /** The newest release of every minor series strictly between the host's and the target's, then the target. */
    private static List<GitHubRelease> hops(
            List<GitHubRelease> oldestFirst, ReleaseVersion from, ReleaseVersion to, HopRule rule) {
        List<GitHubRelease> hops = new ArrayList<>();
        if (rule == HopRule.EVERY_MINOR_SERIES) {
            for (int i = 0; i < oldestFirst.size(); i++) {
                ReleaseVersion v = oldestFirst.get(i).version().orElseThrow();
                boolean lastOfSeries = i + 1 == oldestFirst.size()
                        || !oldestFirst.get(i + 1).version().orElseThrow().sameSeries(v);
                if (lastOfSeries && !v.sameSeries(from) && !v.sameSeries(to)) {
                    hops.add(oldestFirst.get(i));
                }
            }
        }
        hops.add(oldestFirst.get(oldestFirst.size() - 1));
        return hops;
    }

    /** The releases each hop deploys: those after the previous hop, up to and including this one. */
    public List<List<GitHubRelease>> releasesPerHop() {
        List<List<GitHubRelease>> perHop = new ArrayList<>();
        int start = 0;
        for (GitHubRelease hop : hops) {
            int end = releases.indexOf(hop);
            if (end < 0) {
                perHop.add(List.of());
                continue;
            }
            perHop.add(releases.subList(start, end + 1));
            start = end + 1;
        }
        return perHop;
    }

    /** The host crosses into another minor (or major) series. */
    public boolean majorOrMinorJump() {
        return from != null && target.version().map(v -> !v.sameSeries(from)).orElse(false);
    }
}
