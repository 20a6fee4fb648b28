package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.app.AppProfile;
import io.github.flowupgrade.app.ServiceUnits;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Restart wording is read with the application's own names: Flow's notes say "Restart all Flow processes" and name
 * {@code flow-*} units, a JSON profile may rename the units, and "Mastodon" wording is understood for every profile.
 */
class FlowRestartWordingTest {
    private static final String FLOW_NOTES = "## Upgrade notes\n\n### Update steps\n\n### Non-Docker\n\n"
            + "1. Install dependencies with `bundle install`\n"
            + "2. Restart all Flow processes.\n"
            + "3. Then `systemctl restart flow-sidekiq && systemctl reload flow-web`\n";

    private static final String MASTODON_NOTES =
            FLOW_NOTES.replace("Flow", "Mastodon").replace("flow-", "mastodon-");

    @Test
    void flowsRestartWordingIsCarriedOutByFlowUnderTheFlowProfile() {
        ReleaseNotes notes = new ReleaseNotesParser(AppProfile.flow()).parse("v4.4.0", FLOW_NOTES, null);

        assertThat(notes.manual()).isEmpty();
        assertThat(notes.coveredByFlow())
                .contains(
                        "Restart all Flow processes.",
                        "Then `systemctl restart flow-sidekiq && systemctl reload flow-web`");
        assertThat(notes.tasks()).containsKey(TaskKind.BUNDLE_INSTALL);
    }

    @Test
    void mastodonsWordingUnderTheMastodonProfileAsAControl() {
        ReleaseNotes notes = new ReleaseNotesParser(AppProfile.mastodon()).parse("v4.3.1", MASTODON_NOTES, null);

        assertThat(notes.manual()).isEmpty();
        assertThat(notes.coveredByFlow())
                .contains(
                        "Restart all Mastodon processes.",
                        "Then `systemctl restart mastodon-sidekiq && systemctl reload mastodon-web`");
    }

    @Test
    void mastodonWordingStaysRecognisedUnderTheFlowProfile() {
        ReleaseNotes notes = new ReleaseNotesParser(AppProfile.flow()).parse("v4.4.0", MASTODON_NOTES, null);

        assertThat(notes.manual()).isEmpty();
        assertThat(notes.coveredByFlow()).contains("Restart all Mastodon processes.");
    }

    @Test
    void anotherApplicationsNamesAreStillForAHuman() {
        // Flow's names mean nothing to the Mastodon profile: those lines are left to a human, as before.
        ReleaseNotes notes = new ReleaseNotesParser().parse("v4.4.0", FLOW_NOTES, null);

        assertThat(notes.manual())
                .anySatisfy(m -> assertThat(m).contains("Restart all Flow processes"))
                .anySatisfy(m -> assertThat(m).contains("systemctl restart flow-sidekiq"));
    }

    @Test
    void unitsRenamedByAJsonProfileAreRestartWordingAndStreamingIsReadFromThem() {
        AppProfile hometown = new AppProfile(
                "hometown",
                "mastodon",
                "/home/mastodon/live",
                "hometown-fork/hometown",
                "https://github.com/hometown-fork/hometown.git",
                new ServiceUnits(List.of("hometown-jobs"), List.of("hometown-puma"), List.of("hometown-push@4000")),
                AppProfile.mastodon().health(),
                AppProfile.mastodon().hopRule());
        String notes = "## Upgrade notes\n\n### Update steps\n\n### Non-Docker\n\n"
                + "1. Restart all Hometown processes.\n"
                + "2. `systemctl restart hometown-jobs && systemctl reload hometown-puma`\n"
                + "3. Restart hometown-push@4000: `systemctl restart hometown-push@4000`\n";

        ReleaseNotes parsed = new ReleaseNotesParser(hometown).parse("v4.4.0", notes, null);

        assertThat(parsed.manual()).isEmpty();
        assertThat(parsed.coveredByFlow()).hasSize(3);
        assertThat(parsed.streamingRestart()).isTrue();
        // A name that only starts like a unit is not one.
        ReleaseNotes evil = new ReleaseNotesParser(hometown)
                .parse(
                        "v4.4.1",
                        notes.replace("`systemctl restart hometown-jobs", "`systemctl restart hometown-jobs-x"),
                        null);
        assertThat(evil.manual()).anySatisfy(m -> assertThat(m).contains("hometown-jobs-x"));
    }

    @Test
    void flowsUnitsInProseAndTheStreamingUnitAskForAStreamingRestart() {
        RestartWording flow = RestartWording.of(AppProfile.flow());

        assertThat(flow.kind("restart flow-sidekiq and reload flow-web")).isEqualTo(RestartWording.Kind.RESTART);
        assertThat(flow.kind("restart flow-sidekiq-evil")).isEqualTo(RestartWording.Kind.OTHER);
        assertThat(flow.streaming("`systemctl restart flow-streaming`"))
                .isEqualTo(new RestartWording.Streaming(true, false));
        assertThat(flow.restartsAll("restart all flow processes")).isTrue();
        assertThat(RestartWording.MASTODON.restartsAll("restart all flow processes"))
                .isFalse();
    }
}
