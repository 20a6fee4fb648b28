package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hops against the notes' rolling-update cut-offs: the hop they recommend first, downtime, or nothing to go through. */
class RollingHopsTest {
    private static final RollingCutoff FROM_4_2 = new RollingCutoff(
            "v4.3.0",
            v("4.2.0"),
            v("4.3.0"),
            "Rolling updates from versions earlier than Mastodon 4.2 are not supported");
    private static final RollingCutoff FOR_5_0 = new RollingCutoff(
            "v4.7.0", v("4.7.0"), v("5.0.0"), "Updating to this version will be required for zero-downtime migration");

    private static ReleaseVersion v(String version) {
        return ReleaseVersion.parse(version).orElseThrow();
    }

    private static GitHubRelease r(String tag) {
        return new GitHubRelease(tag.hashCode(), tag, tag, "", null, null, false, false);
    }

    private static List<String> tags(List<GitHubRelease> releases) {
        return releases.stream().map(GitHubRelease::tagName).toList();
    }

    private static final List<GitHubRelease> RANGE = List.of(
            r("v4.2.0"),
            r("v4.2.12"),
            r("v4.3.0"),
            r("v4.3.1"),
            r("v4.4.0"),
            r("v4.6.3"),
            r("v4.7.0"),
            r("v4.7.2"),
            r("v5.0.0"));

    @Test
    void aSingleHopAcrossTheCutOffGoesThroughTheNewestReleaseOfTheSeriesTheNotesName() {
        RollingHops planned =
                RollingHops.plan(RANGE.subList(0, 5), List.of(r("v4.4.0")), v("4.1.9"), List.of(FROM_4_2), false);

        assertThat(tags(planned.hops())).containsExactly("v4.2.12", "v4.4.0");
        assertThat(planned.downtime()).isEmpty();
        assertThat(planned.warnings())
                .singleElement()
                .asString()
                .contains("v4.3.0's notes do not support a rolling update to 4.4.0 from 4.1.9")
                .contains("going through v4.2.12 first")
                .contains("allow-downtime");
    }

    @Test
    void withTheDowntimeAllowedTheHopStaysAndIsMarked() {
        RollingHops planned =
                RollingHops.plan(RANGE.subList(0, 5), List.of(r("v4.4.0")), v("4.1.9"), List.of(FROM_4_2), true);

        assertThat(tags(planned.hops())).containsExactly("v4.4.0");
        assertThat(planned.downtime()).containsEntry("v4.4.0", FROM_4_2).hasSize(1);
        assertThat(planned.warnings()).singleElement().asString().contains("stops web, sidekiq and streaming");
    }

    @Test
    void withoutAReleaseToGoThroughTheHopIsMarkedForTheRunToRefuse() {
        // The range from a 4.2 pre-release... no 4.2 release between the host and 4.3.
        RollingHops planned = RollingHops.plan(
                List.of(r("v4.3.0"), r("v4.3.1")), List.of(r("v4.3.1")), v("4.1.9"), List.of(FROM_4_2), false);

        assertThat(tags(planned.hops())).containsExactly("v4.3.1");
        assertThat(planned.downtime()).containsOnlyKeys("v4.3.1");
        assertThat(planned.warnings()).singleElement().asString().contains("refuses it unless allow-downtime");
    }

    @Test
    void twoCutOffsOnTheWayGiveTwoHops() {
        RollingHops planned =
                RollingHops.plan(RANGE, List.of(r("v5.0.0")), v("4.1.9"), List.of(FROM_4_2, FOR_5_0), false);

        assertThat(tags(planned.hops())).containsExactly("v4.2.12", "v4.7.2", "v5.0.0");
        assertThat(planned.downtime()).isEmpty();
    }

    @Test
    void hopsThatStartAfterTheCutOffAreLeftAlone() {
        List<GitHubRelease> everyMinor = List.of(r("v4.2.12"), r("v4.3.1"), r("v4.4.0"));
        RollingHops planned = RollingHops.plan(RANGE, everyMinor, v("4.1.9"), List.of(FROM_4_2, FOR_5_0), false);

        assertThat(tags(planned.hops())).containsExactly("v4.2.12", "v4.3.1", "v4.4.0");
        assertThat(planned.downtime()).isEmpty();
        assertThat(planned.warnings()).isEmpty();
        assertThat(RollingHops.plan(RANGE, List.of(r("v4.4.0")), null, List.of(FROM_4_2), false)
                        .downtime())
                .as("an unknown starting version (a dry run without --from) is not judged")
                .isEmpty();
    }
}
