package io.github.flowupgrade.release;

import static io.github.flowupgrade.release.TaskKind.ASSETS_PRECOMPILE;
import static io.github.flowupgrade.release.TaskKind.BUNDLE_INSTALL;
import static io.github.flowupgrade.release.TaskKind.POST_DEPLOYMENT_MIGRATIONS;
import static io.github.flowupgrade.release.TaskKind.PRE_DEPLOYMENT_MIGRATIONS;
import static io.github.flowupgrade.release.TaskKind.YARN_INSTALL;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every real release note in the test resources, read as a careful admin of a non-Docker installation would read it:
 * the flags, the tasks, the minimum versions, and what is left for a human.
 */
class ReleaseNotesParserTest {
    private final ReleaseNotesParser parser = new ReleaseNotesParser();

    private ReleaseNotes parse(String tag) {
        return parser.parse(tag, FakeGitHub.realNotes(tag), "https://github.com/mastodon/mastodon/releases/tag/" + tag);
    }

    @Test
    void v3_0_0_oldLayoutWithNonDockerAndBothBlocks() {
        ReleaseNotes n = parse("v3.0.0");
        assertThat(n.tasks())
                .isEqualTo(Map.of(
                        BUNDLE_INSTALL, "bundle install",
                        YARN_INSTALL, "yarn install",
                        PRE_DEPLOYMENT_MIGRATIONS, "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate",
                        ASSETS_PRECOMPILE, "bundle exec rails assets:precompile",
                        POST_DEPLOYMENT_MIGRATIONS, "bundle exec rails db:migrate"));
        // No overview in 2019: "Restart all Mastodon processes" is how the notes asked for a streaming restart.
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.stepsMissing()).isFalse();
        assertThat(n.requirements()).isEqualTo(Requirements.none());
        assertThat(n.backupAdvised()).isTrue();
        assertThat(n.manual())
                .hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("The recommended Ruby version has been bumped to 2.6.5"))
                .contains("Clear cache: `RAILS_ENV=production bin/tootctl cache clear`")
                .anySatisfy(m -> assertThat(m)
                        .startsWith("If you are using ElasticSearch, there are new indices")
                        .endsWith("`RAILS_ENV=production bin/tootctl search deploy`"));
        // The Docker variants never leak in.
        assertThat(String.join("\n", n.manual())).doesNotContain("docker");
    }

    @Test
    void v4_3_0_majorReleaseWithManySpecialInstructions() {
        ReleaseNotes n = parse("v4.3.0");
        assertThat(n.tasks())
                .containsOnlyKeys(
                        BUNDLE_INSTALL,
                        YARN_INSTALL,
                        ASSETS_PRECOMPILE,
                        PRE_DEPLOYMENT_MIGRATIONS,
                        POST_DEPLOYMENT_MIGRATIONS)
                .containsEntry(YARN_INSTALL, "yarn install --immutable");
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.requirements()).isEqualTo(new Requirements("3.1", "18", "12", "4"));
        assertThat(n.manual())
                .contains(
                        "‼️ Requires new encryption secrets environment variables",
                        ":warning: Requires rebuilding Elasticsearch accounts index",
                        ":warning: We switched from yarn 1 to yarn 4, and recommend using corepack",
                        ":warning: Rolling updates from versions earlier than Mastodon 4.2 are not supported",
                        ":warning: StatsD integration has been removed, replaced by OpenTelemetry integration",
                        ":warning: ImageMagick is being deprecated and may be removed in a future version",
                        "ℹ️ The logging format of the streaming server has changed",
                        "Install yarn 4 (if you use `corepack`, just do `corepack prepare`). See the “Yarn 4 and"
                                + " corepack” section for more information.",
                        "Generate secrets by running `RAILS_ENV=production bin/rails db:encryption:init`, then copy"
                                + " them to your `.env.production` (copy it across all your nodes if you use multiple"
                                + " ones)",
                        "If you use Elasticsearch or OpenSearch, rebuild the account search index with"
                                + " `RAILS_ENV=production bin/tootctl search deploy --only=accounts`")
                .anySatisfy(m -> assertThat(m).startsWith("Active Record encryption secrets configuration: "))
                .anySatisfy(m -> assertThat(m).startsWith("Cookies and rolling updates: "))
                .anySatisfy(m -> assertThat(m).startsWith("Yarn 4 and corepack: "))
                .anySatisfy(m -> assertThat(m).startsWith("ImageMagick deprecation and libvips replacement: "))
                .anySatisfy(m -> assertThat(m).startsWith("StatsD removal and OpenTelemetry integration: "))
                .anySatisfy(m ->
                        assertThat(m).startsWith("If you are using `rbenv`").contains("rbenv install"))
                .anySatisfy(m -> assertThat(m).startsWith("External dependencies have changed since v4.2.12"))
                .anySatisfy(m -> assertThat(m).contains("charlock_holmes"))
                .doesNotHaveDuplicates();
        // Docker-only steps and sections are not for this installation.
        assertThat(String.join("\n", n.manual())).doesNotContain("docker-compose run");
        assertThat(n.otherRequirements()).contains("libvips (optional, instead of ImageMagick): 8.13 or newer");
    }

    @Test
    void v4_5_patchesWithAssetsFlag() {
        for (String tag : new String[] {"v4.5.2", "v4.5.9", "v4.5.10"}) {
            ReleaseNotes n = parse(tag);
            assertThat(n.tasks())
                    .as(tag)
                    .isEqualTo(Map.of(
                            BUNDLE_INSTALL, "bundle install",
                            YARN_INSTALL, "yarn install --immutable",
                            ASSETS_PRECOMPILE, "bundle exec rails assets:precompile"));
            assertThat(n.streamingRestart()).as(tag).isFalse();
            assertThat(n.stepsMissing()).as(tag).isFalse();
            assertThat(n.requirements()).as(tag).isEqualTo(new Requirements("3.2", "20.19", "14", "7.0"));
            assertThat(n.manual()).as(tag).singleElement().asString().startsWith("Tip: The `charlock_holmes` gem");
            assertThat(n.backupAdvised()).as(tag).isTrue();
        }
    }

    @Test
    void v4_6_0_cutShortKeepsItsFlagsAndSaysStepsAreMissing() {
        ReleaseNotes n = parse("v4.6.0");
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.backupAdvised()).isFalse();
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.tasks())
                .containsOnlyKeys(ASSETS_PRECOMPILE, PRE_DEPLOYMENT_MIGRATIONS, POST_DEPLOYMENT_MIGRATIONS);
        assertThat(n.requirements()).isEqualTo(new Requirements("3.3", "22", null, null));
        assertThat(n.otherRequirements())
                .containsExactly(":warning: The minimum supported version for FFMpeg has been bumped to 5.1");
        assertThat(n.manual())
                .contains(
                        ":warning: ImageMagick support has been dropped, libvips is required",
                        ":warning: Custom themes need to be updated")
                .anySatisfy(m -> assertThat(m).contains("hotfix release"))
                .anySatisfy(m -> assertThat(m)
                        .contains("v4.6.0 have no update steps")
                        .contains("https://github.com/mastodon/mastodon/releases/tag/v4.6.0"));
    }

    @Test
    void v4_6_1_cutShortInsideTheUpgradeNotes() {
        ReleaseNotes n = parse("v4.6.1");
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.tasks()).containsOnlyKeys(ASSETS_PRECOMPILE);
        assertThat(n.requirements()).isEqualTo(new Requirements("3.3", "22", "14", "7.0"));
        assertThat(n.manual())
                .anySatisfy(m -> assertThat(m).startsWith("ImageMagick removal and libvips replacement: "))
                .anySatisfy(m -> assertThat(m).startsWith("Theming system changes"))
                .anySatisfy(m -> assertThat(m).contains("v4.6.1 have no update steps"));
    }

    @Test
    void v4_6_2_dockerOnlyFixStillTellsNonDockerAdminsAboutFfmpeg() {
        ReleaseNotes n = parse("v4.6.2");
        assertThat(n.tasks()).isEmpty();
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.stepsMissing()).isFalse();
        assertThat(n.manual())
                .containsExactly("If you are not using our docker container images, please make sure your system FFmpeg"
                        + " is updated to a fixed version, that is, 8.1.2, 7.1.5, 6.1.6, or 5.1.10.");
    }

    @Test
    void v4_6_3_patch() {
        ReleaseNotes n = parse("v4.6.3");
        assertThat(n.tasks()).containsOnlyKeys(BUNDLE_INSTALL, YARN_INSTALL, ASSETS_PRECOMPILE);
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.requirements()).isEqualTo(new Requirements("3.3", "22", "14", "7.0"));
        assertThat(n.otherRequirements()).contains("FFMpeg: 5.1 or newer", "libvips: 8.13 or newer");
    }

    @Test
    void v4_7_0_cutShortWithLongMigrations() {
        ReleaseNotes n = parse("v4.7.0");
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.tasks())
                .containsOnlyKeys(ASSETS_PRECOMPILE, PRE_DEPLOYMENT_MIGRATIONS, POST_DEPLOYMENT_MIGRATIONS);
        assertThat(n.manual())
                .contains("ℹ️ Requires unusually long database migrations")
                .anySatisfy(
                        m -> assertThat(m).contains("required for zero-downtime migration to the upcoming Mastodon"));
    }

    @Test
    void generatedNotesOfTheFixtureReadAsIntended() {
        ReleaseNotes n = parser.parse("v4.4.15", FakeGitHub.generatedNotes("4.4", 15), null);
        assertThat(n.tasks())
                .containsOnlyKeys(
                        BUNDLE_INSTALL,
                        YARN_INSTALL,
                        ASSETS_PRECOMPILE,
                        PRE_DEPLOYMENT_MIGRATIONS,
                        POST_DEPLOYMENT_MIGRATIONS);
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.manual()).isEmpty();
        ReleaseNotes quiet = parser.parse("v4.4.1", FakeGitHub.generatedNotes("4.4", 1), null);
        assertThat(quiet.tasks()).containsOnlyKeys(BUNDLE_INSTALL, YARN_INSTALL);
        assertThat(parser.parse("v4.4.14", FakeGitHub.generatedNotes("4.4", 14), null)
                        .streamingRestart())
                .isTrue();
    }

    @Test
    void anOverviewSayingNothingSpecialAsksNothingOfAHuman() {
        for (String sentence : List.of(
                "This release contains no special upgrade notes.",
                "This release contains no upgrade notes that deviate from the norm.",
                "No special upgrade instructions.")) {
            String body = "## Upgrade overview\n\n" + sentence + "\n\n## Upgrade notes\n\n"
                    + "### Non-Docker\n\n1. Install dependencies with `bundle install`\n"
                    + "2. Restart all Mastodon processes.\n";
            ReleaseNotes n = parser.parse("v4.2.1", body, null);
            assertThat(n.manual()).as(sentence).isEmpty();
            assertThat(n.tasks()).as(sentence).containsOnlyKeys(BUNDLE_INSTALL);
        }
        // A sentence that merely starts alike but asks for something stays for a human.
        ReleaseNotes asks = parser.parse(
                "v4.2.1", "## Upgrade overview\n\nThis release contains no migrations, but set `FOO=1`.\n", null);
        assertThat(asks.manual()).anySatisfy(m -> assertThat(m).contains("FOO=1"));
    }

    @Test
    void layoutOf2023WithBackportAndRubyFlags() {
        String body = """
                This is a backport for the 3.5.x branch.

                ## Upgrade overview

                This release contains upgrade notes that deviate from the norm:

                ℹ️ Requires streaming API restart\\
                ℹ️ The recommended Ruby version has been updated

                For more information, scroll down to the upgrade instructions section.

                ## Changelog

                - Fix memory leak in streaming server (#1 by @x)

                ## Upgrade notes

                Because this is a backport, it is not available with `git pull`. Use `git fetch && git checkout v3.5.8`

                ### Dependencies

                External dependencies have not changed compared to v3.5.7, the compatible versions are the same:

                - Ruby: 2.7 to 3.0
                - PostgreSQL: 9.5 or newer
                - Redis: 4 or newer
                - Node: >= 12.22, < 18

                However, the recommended Ruby version has changed from 3.0.4 to 3.0.6.

                ### Update steps

                1. Install dependencies: `bundle install` and `yarn install --frozen-lockfile`
                2. Restart all Mastodon processes
                """;
        ReleaseNotes n = parser.parse("v3.5.8", body, null);
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.tasks())
                .isEqualTo(Map.of(BUNDLE_INSTALL, "bundle install", YARN_INSTALL, "yarn install --frozen-lockfile"));
        assertThat(n.requirements()).isEqualTo(new Requirements("2.7", "12.22", "9.5", "4"));
        assertThat(n.manual())
                .containsExactly(
                        "ℹ️ The recommended Ruby version has been updated",
                        "External dependencies have not changed compared to v3.5.7, the compatible versions are the"
                                + " same:",
                        "However, the recommended Ruby version has changed from 3.0.4 to 3.0.6.");
    }
}
