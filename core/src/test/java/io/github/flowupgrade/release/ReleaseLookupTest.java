package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.testing.FakeGitHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole lookup against the GitHub API fixture: ranges, hops, request counts, the cache. */
class ReleaseLookupTest {
    @TempDir
    Path cache;

    private final FakeGitHub github = FakeGitHub.mastodon();
    private final List<String> events = new ArrayList<>();
    private final List<Map<String, Object>> eventFields = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final ReleaseLookup lookup = new ReleaseLookup(
            (type, fields) -> {
                events.add(type);
                eventFields.add(new java.util.LinkedHashMap<String, Object>(fields));
            },
            new Console() {
                @Override
                public void info(String message) {}

                @Override
                public void warn(String message) {
                    warnings.add(message);
                }
            });

    @AfterEach
    void stop() {
        github.close();
    }

    private ReleaseLookupRequest request(String tag, String from) {
        return ReleaseLookupRequest.of(AppProfile.mastodon(), tag)
                .withApi(github.apiUrl(), cache)
                .withFrom(from)
                .withTimeout(Duration.ofSeconds(5), 3, Duration.ofMillis(10));
    }

    @Test
    void thirtyReleaseRangeCostsAtMostTwoRequestsAndRepeatingItCostsNoRateLimit() {
        ReleaseLookupResult first = lookup.run(request("v4.7.2", "v4.5.0"));
        assertThat(first.releases()).hasSize(30).startsWith("v4.5.1").endsWith("v4.7.0", "v4.7.1", "v4.7.2");
        assertThat(first.apiRequests()).isLessThanOrEqualTo(2);
        assertThat(github.countedRequests()).isEqualTo(first.apiRequests());
        assertThat(first.hops()).containsExactly("v4.6.6", "v4.7.2");
        assertThat(first.majorOrMinorJump()).isTrue();

        int counted = github.countedRequests();
        Integer remaining = first.rateLimitRemaining();
        ReleaseLookupResult again = lookup.run(request("v4.7.2", "v4.5.0"));
        assertThat(github.countedRequests()).as("304s do not count").isEqualTo(counted);
        assertThat(github.notModified()).isEqualTo(again.apiRequests());
        assertThat(again.rateLimitRemaining()).isEqualTo(remaining);
        assertThat(again.toMap().get("plan")).isEqualTo(first.toMap().get("plan"));
        assertThat(again.releases()).isEqualTo(first.releases());
        System.out.printf(
                "30-release range: %d request(s) first, %d request(s) again of which %d were 304%n",
                first.apiRequests(), again.apiRequests(), github.notModified());
    }

    @Test
    void aPrefetchedListIsNotAskedForAgainAndTheLookupPagesOnWhereTheHostsVersionNeedsMore() {
        // The listing stops at the page naming the target; the host's version (known later) needs the next one too.
        ReleasePrefetch prefetch = ReleasePrefetch.start(request("v4.7.2", null), (type, fields) -> {});
        ReleaseLookupResult result = lookup.run(request("v4.7.2", "v4.1.0"), prefetch);

        assertThat(result.releases()).hasSize(9 + 16 + 15 + 28 + 21 + 7 + 3);
        assertThat(result.hops()).containsExactly("v4.2.15", "v4.3.14", "v4.4.27", "v4.5.20", "v4.6.6", "v4.7.2");
        assertThat(github.requests())
                .as("page 1 by the prefetch, page 2 by the lookup")
                .isEqualTo(2);
        assertThat(result.apiRequests()).isEqualTo(2);
        assertThat(result.toMap().get("plan"))
                .isEqualTo(lookup.run(request("v4.7.2", "v4.1.0")).toMap().get("plan"));
    }

    @Test
    void aPrefetchThatFailedFailsTheLookupWithTheSameError() {
        github.fail(FakeGitHub.Failure.NOT_FOUND);
        Throwable direct =
                org.assertj.core.api.Assertions.catchThrowable(() -> lookup.run(request("v4.7.2", "v4.5.0")));
        ReleasePrefetch prefetch = ReleasePrefetch.start(request("v4.7.2", null), (type, fields) -> {});

        Throwable prefetched =
                org.assertj.core.api.Assertions.catchThrowable(() -> lookup.run(request("v4.7.2", "v4.5.0"), prefetch));

        assertThat(direct).isInstanceOf(FlowException.class).hasMessageContaining("not found");
        assertThat(prefetched).isInstanceOf(FlowException.class).hasMessage(direct.getMessage());
        assertThat(((FlowException) prefetched).exitCode()).isEqualTo(((FlowException) direct).exitCode());
    }

    @Test
    void longRangesFollowLinkPagination() {
        ReleaseLookupResult result = lookup.run(request("v4.7.2", "v4.1.0"));
        assertThat(result.apiRequests()).isEqualTo(2);
        assertThat(result.releases()).hasSize(9 + 16 + 15 + 28 + 21 + 7 + 3).startsWith("v4.1.1");
        assertThat(result.hops()).containsExactly("v4.2.15", "v4.3.14", "v4.4.27", "v4.5.20", "v4.6.6", "v4.7.2");
    }

    @Test
    void tenRealReleasesUnionLosesNothing() {
        List<FakeGitHub.Release> real = new ArrayList<>();
        for (FakeGitHub.Release r : FakeGitHub.mastodonReleases()) {
            if (FakeGitHub.REAL_TAGS.contains(r.tag())) {
                real.add(r);
            }
        }
        try (FakeGitHub realOnly = FakeGitHub.start("mastodon/mastodon", real)) {
            ReleaseLookupResult result = lookup.run(ReleaseLookupRequest.of(AppProfile.mastodon(), "v4.7.0")
                    .withApi(realOnly.apiUrl(), cache)
                    .withFrom("v2.9.3"));
            assertThat(result.releases())
                    .containsExactly(
                            "v3.0.0", "v4.3.0", "v4.5.2", "v4.5.9", "v4.5.10", "v4.6.0", "v4.6.1", "v4.6.2", "v4.6.3",
                            "v4.7.0");
            assertThat(result.apiRequests()).isEqualTo(1);
            UpgradePlan plan = result.plan();
            assertThat(plan.tasks())
                    .extracting(PlanTask::command)
                    .containsExactly(
                            "bundle install",
                            "yarn install --immutable",
                            "bundle exec rails assets:precompile",
                            "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate",
                            "bundle exec rails db:migrate");
            assertThat(plan.tasks())
                    .extracting(t -> t.phase().wireName())
                    .containsExactly(
                            "after-checkout", "after-checkout", "after-checkout", "after-checkout", "after-restart");
            assertThat(plan.tasks().get(0).releases())
                    .containsExactly("v3.0.0", "v4.3.0", "v4.5.2", "v4.5.9", "v4.5.10", "v4.6.3");
            assertThat(plan.tasks().get(3).releases()).containsExactly("v3.0.0", "v4.3.0", "v4.6.0", "v4.7.0");
            assertThat(plan.streamingRestart()).isTrue();
            assertThat(plan.requirements()).isEqualTo(new Requirements("3.3", "22", "14", "7.0"));
            assertThat(plan.notesCutShort()).containsExactly("v4.6.0", "v4.6.1", "v4.7.0");
            assertThat(plan.backupAdvisedBy())
                    .containsExactly("v3.0.0", "v4.3.0", "v4.5.2", "v4.5.9", "v4.5.10", "v4.6.1", "v4.6.2", "v4.6.3");

            // Nothing lost: every release's tasks, manual items and other requirements are in the union under it.
            ReleaseNotesParser parser = new ReleaseNotesParser();
            for (FakeGitHub.Release r : real) {
                ReleaseNotes notes =
                        parser.parse(r.tag(), r.body(), "https://github.com/mastodon/mastodon/releases/tag/" + r.tag());
                notes.tasks()
                        .keySet()
                        .forEach(kind -> assertThat(plan.tasks())
                                .as(r.tag() + " " + kind)
                                .anySatisfy(t -> {
                                    assertThat(t.kind()).isEqualTo(kind);
                                    assertThat(t.releases()).contains(r.tag());
                                }));
                notes.manual()
                        .forEach(text -> assertThat(plan.manual())
                                .as(r.tag() + ": " + text)
                                .anySatisfy(m -> {
                                    assertThat(m.text()).isEqualTo(text);
                                    assertThat(m.releases()).contains(r.tag());
                                }));
                notes.otherRequirements()
                        .forEach(text -> assertThat(plan.otherRequirements())
                                .anySatisfy(m -> assertThat(m.text()).isEqualTo(text)));
                for (var kind : List.<Map.Entry<List<String>, List<ManualItem>>>of(
                        Map.entry(notes.dockerOnly(), plan.dockerOnly()),
                        Map.entry(notes.information(), plan.information()),
                        Map.entry(notes.coveredByFlow(), plan.coveredByFlow()))) {
                    kind.getKey()
                            .forEach(text -> assertThat(kind.getValue())
                                    .as(r.tag() + ": " + text)
                                    .anySatisfy(m -> {
                                        assertThat(m.text()).isEqualTo(text);
                                        assertThat(m.releases()).contains(r.tag());
                                    }));
                }
            }
            // The same instruction in several releases is listed once, under all of them.
            assertThat(plan.manual()).extracting(ManualItem::text).doesNotHaveDuplicates();

            // One hop per minor series crossed, each with its own plan.
            assertThat(result.hops()).containsExactly("v3.0.0", "v4.3.0", "v4.5.10", "v4.6.3", "v4.7.0");
            assertThat(result.hopPlans())
                    .extracting(HopPlan::releases)
                    .containsExactly(
                            List.of("v3.0.0"),
                            List.of("v4.3.0"),
                            List.of("v4.5.2", "v4.5.9", "v4.5.10"),
                            List.of("v4.6.0", "v4.6.1", "v4.6.2", "v4.6.3"),
                            List.of("v4.7.0"));
            assertThat(result.hopPlans().get(0).plan().tasks().get(1).command()).isEqualTo("yarn install");
            assertThat(result.hopPlans().get(2).plan().streamingRestart()).isFalse();
            assertThat(result.hopPlans().get(3).plan().streamingRestart()).isTrue();
        }
    }

    @Test
    void fromV420ToV431EachManualActionIsListedOnceAndDockerOnlyItemsApart() {
        ReleaseLookupResult result = lookup.run(request("v4.3.1", "v4.2.0"));
        assertThat(result.releases()).hasSize(17).startsWith("v4.2.1").endsWith("v4.3.0", "v4.3.1");
        UpgradePlan plan = result.plan();
        // The real v4.3.0 asks seven things of a source installation; the generated patches ask nothing.
        assertThat(plan.manual())
                .extracting(ManualItem::text)
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("‼️ Requires new encryption secrets environment variables\n"),
                        m -> assertThat(m).startsWith(":warning: Requires rebuilding Elasticsearch accounts index\n"),
                        m -> assertThat(m).startsWith(":warning: We switched from yarn 1 to yarn 4"),
                        m -> assertThat(m).startsWith(":warning: Rolling updates from versions earlier than"),
                        m -> assertThat(m).startsWith(":warning: StatsD integration has been removed"),
                        m -> assertThat(m).startsWith(":warning: ImageMagick is being deprecated"),
                        m -> assertThat(m).startsWith("If you are using `rbenv`"));
        assertThat(plan.manual()).allSatisfy(m -> assertThat(m.releases()).containsExactly("v4.3.0"));
        assertThat(plan.dockerOnly())
                .singleElement()
                .satisfies(d -> assertThat(d.text()).startsWith(":warning: The Docker image has been split"));
        assertThat(plan.information())
                .extracting(ManualItem::text)
                .contains("ℹ️ The logging format of the streaming server has changed");
        // What flow does itself is never asked of a human.
        assertThat(plan.coveredByFlow())
                .extracting(ManualItem::text)
                .contains("Restart all Mastodon processes.", "ℹ️ Requires streaming API restart")
                .allSatisfy(covered -> assertThat(plan.manual())
                        .noneSatisfy(m -> assertThat(m.text()).contains(covered)));
        assertThat(plan.streamingRestart()).isTrue();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) result.toMap().get("plan");
        assertThat(json).containsKeys("manual", "dockerOnly", "information", "coveredByFlow");
        assertThat((List<?>) json.get("manual")).hasSize(7);
        assertThat((List<?>) json.get("dockerOnly")).hasSize(1);
    }

    @Test
    void preReleasesOnlyWhenAskedOrWhenTheTargetIsOne() {
        assertThat(lookup.run(request("v4.3.0", "v4.2.15")).releases()).containsExactly("v4.3.0");
        assertThat(lookup.run(request("v4.3.0-rc.1", "v4.2.15")).releases())
                .containsExactly("v4.3.0-beta.1", "v4.3.0-beta.2", "v4.3.0-rc.1");
        assertThat(lookup.run(request("v4.3.0", "v4.2.15").withOptions(true, false, false))
                        .releases())
                .containsExactly("v4.3.0-beta.1", "v4.3.0-beta.2", "v4.3.0-rc.1", "v4.3.0");
    }

    @Test
    void latestIsChosenByVersionIgnoringDraftsAndNonVersionTags() {
        ReleaseLookupResult latest = lookup.run(ReleaseLookupRequest.of(AppProfile.mastodon(), null)
                .withApi(github.apiUrl(), cache)
                .withFrom("v4.7.0"));
        assertThat(latest.target().tagName()).isEqualTo("v4.7.4");
        assertThat(latest.releases()).containsExactly("v4.7.1", "v4.7.2", "v4.7.3", "v4.7.4");
        assertThat(latest.majorOrMinorJump()).isFalse();
        assertThat(latest.hops()).containsExactly("v4.7.4");
    }

    @Test
    void withoutFromOnlyTheTargetByTagInOneRequest() {
        ReleaseLookupResult result = lookup.run(request("v4.5.2", null));
        assertThat(result.apiRequests()).isEqualTo(1);
        assertThat(result.releases()).containsExactly("v4.5.2");
        assertThat(result.hops()).containsExactly("v4.5.2");
        assertThat(result.toMap())
                .containsEntry("tag", "v4.5.2")
                .containsEntry("url", "https://github.com/mastodon/mastodon/releases/tag/v4.5.2")
                .containsEntry("publishedAt", "2025-11-20T14:00:00Z")
                .containsEntry("commit", null)
                .containsEntry("from", null)
                .containsEntry("majorOrMinorJump", false)
                .containsKeys("name", "apiRequests", "rateLimitRemaining", "plan", "hopPlans");
    }

    @Test
    void singleHopProfilesAndOverride() {
        ReleaseLookupResult flow =
                lookup.run(ReleaseLookupRequest.of(AppProfile.flow().withRepo("mastodon/mastodon"), "v4.7.2")
                        .withApi(github.apiUrl(), cache)
                        .withFrom("v4.2.0")
                        .withTimeout(Duration.ofSeconds(5), 1, Duration.ofMillis(1)));
        assertThat(flow.hops()).containsExactly("v4.7.2");
        assertThat(flow.hopPlans())
                .singleElement()
                .satisfies(h -> assertThat(h.releases()).hasSize(flow.releases().size()));
        assertThat(warnings).noneMatch(w -> w.contains("single-hop: going straight"));

        ReleaseLookupResult mastodon = lookup.run(request("v4.7.2", "v4.2.0"));
        assertThat(mastodon.hops()).containsExactly("v4.3.14", "v4.4.27", "v4.5.20", "v4.6.6", "v4.7.2");
        ReleaseLookupResult forced = lookup.run(request("v4.7.2", "v4.2.0").withOptions(false, false, true));
        assertThat(forced.hops()).containsExactly("v4.7.2");
        assertThat(forced.warnings()).anySatisfy(w -> assertThat(w).contains("single-hop: going straight"));
        assertThat(warnings)
                .filteredOn(w -> w.contains("single-hop: going straight"))
                .hasSize(1);
    }

    @Test
    void downgradeIsRefusedUnlessAllowed() {
        assertThatThrownBy(() -> lookup.run(request("v4.5.2", "v4.7.0")))
                .isInstanceOfSatisfying(FlowException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.REFUSED);
                    assertThat(e.getMessage()).contains("downgrade", "v4.7.0", "v4.5.2", "pass allow-downgrade");
                });
        ReleaseLookupResult allowed = lookup.run(request("v4.5.2", "v4.7.0").withOptions(false, true, false));
        assertThat(allowed.releases()).isEmpty();
        assertThat(allowed.hops()).containsExactly("v4.5.2");
        assertThat(allowed.plan().tasks()).isEmpty();
        assertThat(allowed.plan().manual())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("backup"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("downgrading"));
    }

    @Test
    void alreadyAtTheTargetMeansAnEmptyPlan() {
        ReleaseLookupResult same = lookup.run(request("v4.5.2", "v4.5.2"));
        assertThat(same.releases()).isEmpty();
        assertThat(same.hops()).isEmpty();
        assertThat(same.plan().tasks()).isEmpty();
    }

    @Test
    void auditRecordsRequestsAndTheResolvedRelease() {
        lookup.run(request("v4.6.3", "v4.6.0").withToken("s3cret-token", "$GITHUB_TOKEN"));
        assertThat(events).contains("github.request").last().isEqualTo("release.resolved");
        Map<String, Object> resolved = eventFields.get(eventFields.size() - 1);
        assertThat(resolved)
                .containsEntry("tag", "v4.6.3")
                .containsEntry("from", "v4.6.0")
                .containsEntry("releases", List.of("v4.6.1", "v4.6.2", "v4.6.3"))
                .containsEntry("assetsPrecompile", true)
                .containsEntry("streamingRestart", false);
        assertThat(eventFields.toString()).doesNotContain("s3cret-token");
        assertThat(github.authorizations()).containsOnly("Bearer s3cret-token");
    }
}
