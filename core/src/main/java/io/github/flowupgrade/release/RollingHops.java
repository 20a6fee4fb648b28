package io.github.flowupgrade.release;

import io.github.flowupgrade.Option;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hops of a range checked against the notes' rolling-update cut-offs ({@link RollingCutoff}). A hop that starts
 * before a cut-off gets the release the notes recommend first, the newest release of the cut-off's series in the
 * range ("update to the latest v4.2 first"), as a hop of its own; with the downtime allowed instead, or when no
 * release in the range can be that hop, it stays as it is and is marked: the upgrade then stops the site for its
 * migrations, or refuses.
 *
 * @param hops the hops, oldest first, with the recommended ones added
 * @param downtime the hops that cannot be rolling updates, by tag, with the cut-off each crosses
 * @param warnings what was decided, for the console and the lookup's result
 */
public record RollingHops(List<GitHubRelease> hops, Map<String, RollingCutoff> downtime, List<String> warnings) {
    public RollingHops {
        hops = List.copyOf(hops);
        downtime = Map.copyOf(downtime);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param releases every release of the range, oldest first
     * @param hops the hops the profile's rule chose, oldest first
     * @param from the version the host runs (null: unknown, nothing is checked)
     * @param cutoffs the cut-offs the notes of the range's releases state
     * @param allowDowntime keep a hop that crosses a cut-off as it is (the upgrade stops the site for it)
     */
    public static RollingHops plan(
            List<GitHubRelease> releases,
            List<GitHubRelease> hops,
            ReleaseVersion from,
            List<RollingCutoff> cutoffs,
            boolean allowDowntime) {
        List<GitHubRelease> planned = new ArrayList<>(hops);
        List<String> warnings = new ArrayList<>();
        if (from == null || cutoffs.isEmpty()) {
            return new RollingHops(planned, Map.of(), warnings);
        }
        // Each pass adds at most one hop; a range cannot take more hops than it has releases.
        for (int pass = 0; pass <= releases.size() && !allowDowntime; pass++) {
            boolean added = false;
            ReleaseVersion previous = from;
            for (int i = 0; i < planned.size() && !added; i++) {
                ReleaseVersion to = version(planned.get(i));
                RollingCutoff crossed = crossed(cutoffs, previous, to);
                GitHubRelease first = crossed == null ? null : recommended(releases, previous, to, crossed);
                if (first != null) {
                    planned.add(i, first);
                    warnings.add(crossed.release() + "'s notes do not support a rolling update to " + to
                            + " from " + previous + ": going through " + first.tagName() + " first, as they"
                            + " recommend (with " + Option.ALLOW_DOWNTIME.set() + " the upgrade would go straight on"
                            + " and stop the site for its migrations instead)");
                    added = true;
                }
                previous = to;
            }
            if (!added) {
                break;
            }
        }
        Map<String, RollingCutoff> downtime = new LinkedHashMap<>();
        ReleaseVersion previous = from;
        for (GitHubRelease hop : planned) {
            ReleaseVersion to = version(hop);
            RollingCutoff crossed = crossed(cutoffs, previous, to);
            if (crossed != null) {
                downtime.put(hop.tagName(), crossed);
                warnings.add(hop.tagName() + " from " + previous + " cannot be a rolling update (" + crossed.describe()
                        + "): "
                        + (allowDowntime
                                ? "the upgrade stops web, sidekiq and streaming for its migrations ("
                                        + Option.ALLOW_DOWNTIME.set() + ")"
                                : "no release in the range can be the hop the notes recommend first; the upgrade"
                                        + " refuses it unless " + Option.ALLOW_DOWNTIME.set() + " lets it stop the"
                                        + " site for the migrations"));
            }
            previous = to;
        }
        return new RollingHops(planned, downtime, warnings);
    }

    /** The first cut-off a hop from {@code from} to {@code to} crosses, or null. */
    private static RollingCutoff crossed(List<RollingCutoff> cutoffs, ReleaseVersion from, ReleaseVersion to) {
        return cutoffs.stream()
                .filter(c -> ReleaseVersion.parse(c.release())
                        .map(r -> r.compareTo(to) <= 0)
                        .orElse(false))
                .filter(c -> c.violatedBy(from, to))
                .findFirst()
                .orElse(null);
    }

    /** The newest release between the hop's ends that starts at or after the cut-off, of its series if one is. */
    private static GitHubRelease recommended(
            List<GitHubRelease> releases, ReleaseVersion from, ReleaseVersion to, RollingCutoff cutoff) {
        GitHubRelease best = null;
        GitHubRelease bestOfSeries = null;
        for (GitHubRelease release : releases) {
            ReleaseVersion v = version(release);
            if (v.compareTo(from) <= 0
                    || v.compareTo(to) >= 0
                    || v.compareTo(cutoff.minimum()) < 0
                    || v.compareTo(cutoff.appliesFrom()) >= 0) {
                continue;
            }
            best = release;
            if (v.sameSeries(cutoff.minimum())) {
                bestOfSeries = release;
            }
        }
        return bestOfSeries != null ? bestOfSeries : best;
    }

    private static ReleaseVersion version(GitHubRelease release) {
        return release.version().orElseThrow();
    }
}
