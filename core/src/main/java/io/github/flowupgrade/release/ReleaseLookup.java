package io.github.flowupgrade.release;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.app.HopRule;
import io.github.flowupgrade.audit.AuditLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The first step of an upgrade, as Mastodon's guide describes it: look the target release up on GitHub, read the
 * instructions of every release from the host's version up to it, and turn them into one plan (and one per hop).
 *
 * <p>Requests are few: without {@code from} one request fetches the target by tag; with it, the release list is read
 * 100 at a time, newest first, and reading stops at the oldest release that can be in the range (the first release of
 * the host's series), so a range of dozens of releases costs one or two requests, and asking again costs none against
 * the rate limit because every response is revalidated with its ETag.
 */
public final class ReleaseLookup {
    private final AuditLog audit;
    private final Console console;

    public ReleaseLookup(AuditLog audit, Console console) {
        this.audit = audit;
        this.console = console;
    }

    public ReleaseLookupResult run(ReleaseLookupRequest request) {
        try (GitHubClient github = client(request, audit)) {
            return run(request, github);
        }
    }

    /**
     * The lookup of {@code request} with the release list {@code prefetch} has read meanwhile (for the same
     * repository, API and target); {@code request} names the version the host runs, which the listing did not know.
     * The prefetch's client is closed afterwards.
     */
    public ReleaseLookupResult run(ReleaseLookupRequest request, ReleasePrefetch prefetch) {
        try (prefetch) {
            return run(request, prefetch.client());
        }
    }

    static GitHubClient client(ReleaseLookupRequest request, AuditLog audit) {
        return new GitHubClient(
                new GitHubClient.Settings(
                        request.apiUrl(),
                        request.profile().repo(),
                        request.token(),
                        request.tokenSource(),
                        request.cacheDir(),
                        request.timeout(),
                        request.attempts(),
                        request.backoff()),
                audit);
    }

    private ReleaseLookupResult run(ReleaseLookupRequest request, GitHubClient github) {
        List<String> warnings = new ArrayList<>();
        ReleaseVersion from = request.from() == null
                ? null
                : ReleaseVersion.parse(request.from())
                        .orElseThrow(() -> FlowException.badInput(
                                Option.FROM.named() + " " + request.from() + " is not a version"));
        console.info("Looking up " + (request.latest() ? "the newest release" : request.tag()) + " of "
                + request.profile().repo() + " on " + request.apiUrl());

        GitHubRelease target;
        List<GitHubRelease> known;
        if (from == null && !request.latest()) {
            target = github.releaseByTag(request.tag())
                    .orElseThrow(() -> unknownTag(request, github.listReleases(all -> true)));
            known = List.of(target);
        } else {
            known = github.listReleases(enough(request, from));
            target = request.latest() ? newest(known, request) : byTag(known, request.tag());
            if (target == null) {
                throw unknownTag(request, known);
            }
        }

        HopRule rule = request.profile().hopRule();
        if (request.singleHop() && rule == HopRule.EVERY_MINOR_SERIES) {
            rule = HopRule.SINGLE_HOP;
            warn(
                    warnings,
                    Option.SINGLE_HOP.named() + ": going straight to " + target.tagName() + " although the "
                            + request.profile().name() + " guide asks to deploy one release of every minor series; "
                            + "zero-downtime migrations from before Mastodon 4.2 abort, so stop all services first.");
        }
        ReleaseRange range =
                ReleaseRange.between(known, target, from, request.includePreReleases(), rule, request.allowDowngrade());
        if (range.downgrade()) {
            warn(
                    warnings,
                    "downgrading from v" + from + " to " + target.tagName()
                            + ": Mastodon publishes no rollback steps; the database must match " + target.tagName()
                            + " (restore the backup taken before the upgrade).");
        } else if (from != null && range.releases().isEmpty()) {
            console.info("The host already runs " + target.tagName() + "; nothing to upgrade.");
        }

        Map<String, ReleaseNotes> notes = new LinkedHashMap<>();
        ReleaseNotesParser parser = new ReleaseNotesParser(request.profile());
        List<RollingCutoff> cutoffs = new ArrayList<>();
        for (GitHubRelease release : range.releases()) {
            notes.put(release.tagName(), parser.parse(release.tagName(), release.body(), release.htmlUrl()));
            cutoffs.addAll(RollingCutoffs.read(release.tagName(), release.body()));
        }
        Map<String, RollingCutoff> downtime = Map.of();
        if (!range.downgrade()) {
            // Where the notes say a hop cannot be a rolling update: the release they recommend first, or downtime.
            RollingHops rolling =
                    RollingHops.plan(range.releases(), range.hops(), from, cutoffs, request.allowDowntime());
            range = new ReleaseRange(range.target(), range.from(), range.releases(), rolling.hops(), false);
            downtime = rolling.downtime();
            rolling.warnings().forEach(w -> warn(warnings, w));
        }
        UpgradePlan plan = UpgradePlan.union(new ArrayList<>(notes.values()));
        if (range.downgrade()) {
            plan = new UpgradePlan(
                    false,
                    Requirements.none(),
                    List.of(),
                    List.of(new ManualItem(
                            target.tagName(),
                            "Downgrade from v" + from + ": restore the database backup taken before upgrading past "
                                    + target.tagName() + "; release notes give no rollback steps.",
                            List.of(target.tagName()))),
                    List.of(),
                    List.of(),
                    List.of());
        }
        List<HopPlan> hopPlans = new ArrayList<>();
        List<List<GitHubRelease>> perHop = range.releasesPerHop();
        for (int i = 0; i < range.hops().size(); i++) {
            List<GitHubRelease> releases = perHop.get(i);
            String hop = range.hops().get(i).tagName();
            hopPlans.add(new HopPlan(
                    hop,
                    releases.stream().map(GitHubRelease::tagName).toList(),
                    range.downgrade()
                            ? plan
                            : UpgradePlan.union(releases.stream()
                                    .map(r -> notes.get(r.tagName()))
                                    .toList()),
                    downtime.get(hop)));
        }
        if (!plan.notesCutShort().isEmpty()) {
            warn(
                    warnings,
                    "the notes of " + String.join(", ", plan.notesCutShort())
                            + " have no update steps; read them in full before upgrading (see the manual items).");
        }

        String commit = null;
        if (request.gitUrl() != null) {
            commit = TagCommits.resolve(request.gitUrl(), target.tagName());
        }

        ReleaseLookupResult result = new ReleaseLookupResult(
                target,
                commit,
                request.from(),
                range.releases().stream().map(GitHubRelease::tagName).toList(),
                range.majorOrMinorJump(),
                range.hops().stream().map(GitHubRelease::tagName).toList(),
                hopPlans,
                github.requests(),
                github.rateLimitRemaining(),
                plan,
                warnings);
        recordResolved(result);
        console.info("Release " + target.tagName() + (commit == null ? "" : " (commit " + commit + ")") + ": "
                + result.releases().size() + " release(s) in range, hops " + result.hops() + ", "
                + plan.tasks().size() + " task(s), " + plan.manual().size() + " manual item(s); "
                + github.requests() + " GitHub request(s)");
        return result;
    }

    /** Stop paging once the list reaches the first release of the host's series (and the target, if named). */
    private static Predicate<List<GitHubRelease>> enough(ReleaseLookupRequest request, ReleaseVersion from) {
        if (from == null) {
            return all -> true; // the newest release alone: it is on the first page
        }
        ReleaseVersion floor = from.isPreRelease()
                ? new ReleaseVersion(from.major(), from.minor(), from.patch(), from.preRelease(), null)
                : new ReleaseVersion(from.major(), from.minor(), 0, List.of(), null);
        return all -> {
            boolean floorSeen = all.stream()
                    .map(GitHubRelease::version)
                    .flatMap(Optional::stream)
                    .anyMatch(v -> v.compareTo(floor) <= 0 && v.sameSeries(floor));
            boolean targetSeen = request.latest() || byTag(all, request.tag()) != null;
            return floorSeen && targetSeen;
        };
    }

    /** Whether {@code releases} has the release of {@code tag}. */
    static boolean has(List<GitHubRelease> releases, String tag) {
        return byTag(releases, tag) != null;
    }

    private static GitHubRelease byTag(List<GitHubRelease> releases, String tag) {
        return releases.stream()
                .filter(r -> r.tagName().equals(tag))
                .findFirst()
                .orElse(null);
    }

    private static GitHubRelease newest(List<GitHubRelease> releases, ReleaseLookupRequest request) {
        return releases.stream()
                .filter(r -> r.version().isPresent())
                .filter(r -> request.includePreReleases() || !r.isPreRelease())
                .max(Comparator.comparing(r -> r.version().orElseThrow()))
                .orElseThrow(() -> FlowException.badInput("no published "
                        + (request.includePreReleases() ? "" : "stable ") + "release with a version tag in "
                        + request.profile().repo() + " at " + request.apiUrl()));
    }

    private static FlowException unknownTag(ReleaseLookupRequest request, List<GitHubRelease> known) {
        String tag = request.tag();
        Optional<ReleaseVersion> wanted = ReleaseVersion.parse(tag);
        List<GitHubRelease> candidates = new ArrayList<>(
                known.stream().filter(r -> r.version().isPresent()).toList());
        candidates.sort(Comparator.comparingLong(
                r -> wanted.map(w -> distance(w, r.version().orElseThrow())).orElse(0L)));
        List<String> nearest =
                candidates.stream().limit(5).map(GitHubRelease::tagName).toList();
        return FlowException.badInput(
                "no published release " + tag + " in " + request.profile().repo() + " at "
                        + request.apiUrl() + " (404)."
                        + (nearest.isEmpty()
                                ? " The repository has no releases."
                                : " Nearest releases: " + String.join(", ", nearest) + ".")
                        + " Check the tag (releases are tagged like v4.3.1) or " + Option.REPO.named() + ".");
    }

    /** How far apart two versions are, major first, for suggesting the tags nearest to a mistyped one. */
    private static long distance(ReleaseVersion a, ReleaseVersion b) {
        return Math.abs(a.major() - b.major()) * 1_000_000L
                + Math.abs(a.minor() - b.minor()) * 1_000L
                + Math.min(999, Math.abs(a.patch() - b.patch()))
                + (b.isPreRelease() ? 1 : 0);
    }

    private void warn(List<String> warnings, String message) {
        warnings.add(message);
        console.warn(message);
    }

    private void recordResolved(ReleaseLookupResult result) {
        UpgradePlan plan = result.plan();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("tag", result.target().tagName());
        fields.put("commit", result.commit());
        fields.put("from", result.from());
        fields.put("releases", result.releases());
        fields.put("hops", result.hops());
        fields.put(
                "downtimeHops",
                result.hopPlans().stream()
                        .filter(h -> h.downtime() != null)
                        .map(HopPlan::tag)
                        .toList());
        fields.put("streamingRestart", plan.streamingRestart());
        fields.put("preDeploymentMigrations", plan.preDeploymentMigrations());
        fields.put("postDeploymentMigrations", plan.postDeploymentMigrations());
        fields.put("bundleInstall", plan.bundleInstall());
        fields.put("yarnInstall", plan.yarnInstall());
        fields.put("assetsPrecompile", plan.assetsPrecompile());
        fields.put("manualItems", plan.manual().size());
        fields.put("apiRequests", result.apiRequests());
        audit.record("release.resolved", fields);
    }
}
