package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rolling-update cut-offs of real release notes, in every wording they use: the overview flag and the upgrade
 * notes of 4.3.0, its changelog entry, the migration's own refusal (mastodon/mastodon#33089) and 4.7.0's announcement
 * for 5.0; and notes that say nothing of the kind give none.
 */
class RollingCutoffsTest {
    private static ReleaseVersion v(String version) {
        return ReleaseVersion.parse(version).orElseThrow();
    }

    @Test
    void v4_3_0SaysRollingUpdatesFromBefore4_2AreNotSupported() {
        List<RollingCutoff> cutoffs = RollingCutoffs.read("v4.3.0", FakeGitHub.realNotes("v4.3.0"));

        // Said five times (flag, changelog twice, the section, its "That is"), kept once, with the first wording.
        assertThat(cutoffs).hasSize(1);
        RollingCutoff cutoff = cutoffs.get(0);
        assertThat(cutoff.release()).isEqualTo("v4.3.0");
        assertThat(cutoff.minimum()).isEqualTo(v("4.2.0"));
        assertThat(cutoff.appliesFrom()).isEqualTo(v("4.3.0"));
        assertThat(cutoff.text())
                .isEqualTo("Rolling updates from versions earlier than Mastodon 4.2 are not supported");
        assertThat(cutoff.violatedBy(v("4.1.9"), v("4.3.0"))).isTrue();
        assertThat(cutoff.violatedBy(v("4.2.0"), v("4.3.0"))).isFalse();
        assertThat(cutoff.violatedBy(v("4.1.9"), v("4.2.12")))
                .as("a hop to 4.2 is not concerned")
                .isFalse();
    }

    @Test
    void v4_7_0AnnouncesTheCutOffOf5_0() {
        List<RollingCutoff> cutoffs = RollingCutoffs.read("v4.7.0", FakeGitHub.realNotes("v4.7.0"));

        assertThat(cutoffs).hasSize(1);
        assertThat(cutoffs.get(0).minimum()).isEqualTo(v("4.7.0"));
        assertThat(cutoffs.get(0).appliesFrom()).isEqualTo(v("5.0.0"));
        assertThat(cutoffs.get(0).text()).startsWith("Updating to this version will be required for zero-downtime");
        assertThat(cutoffs.get(0).violatedBy(v("4.6.3"), v("5.0.1"))).isTrue();
        assertThat(cutoffs.get(0).violatedBy(v("4.6.3"), v("4.7.2"))).isFalse();
    }

    @Test
    void eachWordingAloneIsReadToo() {
        // The sentences of 4.3.0's notes one by one, as a fork or a later release may carry only one of them.
        assertThat(minimumOf(
                        "v4.3.0",
                        "That is, either completely stop Mastodon before updating it, or update to the"
                                + " latest v4.2 *then* update to v4.3.\n\nCookies issued by Mastodon are now using SHA256"
                                + " digests. To ensure you are not losing user sessions, do not perform a rolling update from"
                                + " versions of Mastodon earlier than v4.2.0."))
                .isEqualTo(v("4.2.0"));
        assertThat(minimumOf(
                        "v4.3.0",
                        "  Therefore, zero-downtime updates are only supported if you’re coming from"
                                + " 4.2.0 or newer."))
                .isEqualTo(v("4.2.0"));
        assertThat(minimumOf(
                        "v4.3.0",
                        "If you want to skip Mastodon 4.2, you will need to completely stop Mastodon"
                                + " services before updating."))
                .isEqualTo(v("4.2.0"));
        // The refusal db:migrate prints since mastodon/mastodon#33089.
        assertThat(minimumOf(
                        "v4.3.2",
                        "Zero-downtime migrations from Mastodon versions earlier than 4.2.0 are not"
                                + " supported. Please update to Mastodon 4.2.x first or upgrade by stopping all services and"
                                + " running migrations without `SKIP_POST_DEPLOYMENT_MIGRATIONS`."))
                .isEqualTo(v("4.2.0"));
        assertThat(minimumOf(
                        "v4.4.0",
                        ":warning: Rolling updates from versions earlier than Flow 4.3 are not"
                                + " supported; either completely stop Flow before updating it, or update to the latest v4.3"
                                + " first\\"))
                .isEqualTo(v("4.3.0"));
    }

    @Test
    void notesThatSayNothingOfItGiveNone() {
        for (String tag : List.of("v3.0.0", "v4.5.2", "v4.5.9", "v4.5.10", "v4.6.0", "v4.6.1", "v4.6.2", "v4.6.3")) {
            assertThat(RollingCutoffs.read(tag, FakeGitHub.realNotes(tag)))
                    .as(tag)
                    .isEmpty();
        }
        assertThat(RollingCutoffs.read("v4.4.0", "Rolling updates from versions earlier than 4.3 are supported again."))
                .as("no negation, no cut-off")
                .isEmpty();
        assertThat(RollingCutoffs.read("nightly.2024-02-02", FakeGitHub.realNotes("v4.3.0")))
                .as("a tag that is no version")
                .isEmpty();
    }

    private static ReleaseVersion minimumOf(String tag, String notes) {
        List<RollingCutoff> cutoffs = RollingCutoffs.read(tag, notes);
        assertThat(cutoffs).as(notes).hasSize(1);
        assertThat(cutoffs.get(0).appliesFrom()).isEqualTo(v(tag));
        return cutoffs.get(0).minimum();
    }
}
