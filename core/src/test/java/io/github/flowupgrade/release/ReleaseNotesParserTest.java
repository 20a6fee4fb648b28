package io.github.flowupgrade.release;

import static io.github.flowupgrade.release.TaskKind.ASSETS_PRECOMPILE;
import static io.github.flowupgrade.release.TaskKind.BUNDLE_INSTALL;
import static io.github.flowupgrade.release.TaskKind.POST_DEPLOYMENT_MIGRATIONS;
import static io.github.flowupgrade.release.TaskKind.PRE_DEPLOYMENT_MIGRATIONS;
import static io.github.flowupgrade.release.TaskKind.YARN_INSTALL;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every real release note in the test resources, and the variants we wrote in their shape, read as a careful admin of a
 * non-Docker installation would read them: the flags, the tasks, the minimum versions, and each item in its class (what
 * flow runs itself, a manual step, a Docker-only instruction, information).
 */
class ReleaseNotesParserTest {
    private final ReleaseNotesParser parser = new ReleaseNotesParser();

    private static final String TIP_GCC = "Tip: The `charlock_holmes` gem may fail to build on some systems with recent"
            + " versions of gcc. If you run into this issue, try"
            + " `BUNDLE_BUILD__CHARLOCK_HOLMES=\"--with-cxxflags=-std=c++17\" bundle install`.";
    private static final String INSTALL_IMMUTABLE =
            "Install dependencies with `bundle install` and `yarn install" + " --immutable`";
    private static final String PRECOMPILE =
            "Precompile the assets: `RAILS_ENV=production bundle exec rails assets:precompile`";

    private ReleaseNotes parse(String tag) {
        return parser.parse(tag, FakeGitHub.realNotes(tag), "https://github.com/mastodon/mastodon/releases/tag/" + tag);
    }

    private ReleaseNotes variant(String name) {
        try (InputStream in = getClass().getResourceAsStream("/releases/variants/" + name + ".md")) {
            return parser.parse("v9.9.9", new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                .satisfiesExactly(
                        m -> assertThat(m).startsWith("The recommended Ruby version has been bumped to 2.6.5"),
                        m -> assertThat(m).isEqualTo("Clear cache: `RAILS_ENV=production bin/tootctl cache clear`"),
                        m -> assertThat(m)
                                .startsWith("If you are using ElasticSearch, there are new indices")
                                .endsWith("`RAILS_ENV=production bin/tootctl search deploy`"));
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.information()).isEmpty();
        assertThat(n.coveredByFlow())
                .containsExactly(
                        "Install dependencies: `bundle install` and `yarn install`",
                        "Run the pre-deployment database migrations by specifying the"
                                + " `SKIP_POST_DEPLOYMENT_MIGRATIONS=true` environment variable:"
                                + " `SKIP_POST_DEPLOYMENT_MIGRATIONS=true RAILS_ENV=production bundle exec rails"
                                + " db:migrate`",
                        PRECOMPILE,
                        "Restart all Mastodon processes",
                        "Now that the new code is running, we can finish the database migrations. This will run the"
                                + " post-deployment ones: `RAILS_ENV=production bundle exec rails db:migrate`");
        // The Docker variants of the steps never leak in.
        assertThat(String.join("\n", n.manual())).doesNotContainIgnoringCase("docker");
    }

    @Test
    void v4_3_0_eachInstructionOnceWithItsFlagSectionAndStep() {
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
        assertThat(n.backupAdvised()).isTrue();
        assertThat(n.manual())
                .satisfiesExactly(
                        // The flag, the "Upgrade notes" section and update step 4: one item, whole.
                        m -> assertThat(m)
                                .startsWith("‼️ Requires new encryption secrets environment variables\n"
                                        + "Active Record encryption secrets configuration: Mastodon now requires new"
                                        + " environment variables")
                                .contains("make sure to copy the secrets to all of them")
                                .endsWith("\nGenerate secrets by running `RAILS_ENV=production bin/rails"
                                        + " db:encryption:init`, then copy them to your `.env.production` (copy it"
                                        + " across all your nodes if you use multiple ones)")
                                .doesNotContain("docker-compose"),
                        m -> assertThat(m)
                                .isEqualTo(":warning: Requires rebuilding Elasticsearch accounts index\n"
                                        + "If you use Elasticsearch or OpenSearch, rebuild the account search index"
                                        + " with `RAILS_ENV=production bin/tootctl search deploy --only=accounts`"),
                        m -> assertThat(m)
                                .startsWith(":warning: We switched from yarn 1 to yarn 4, and recommend using"
                                        + " corepack\nYarn 4 and corepack: We have switched from Yarn 1")
                                .endsWith("\nInstall yarn 4 (if you use `corepack`, just do `corepack prepare`). See"
                                        + " the “Yarn 4 and corepack” section for more information."),
                        m -> assertThat(m)
                                .startsWith(":warning: Rolling updates from versions earlier than Mastodon 4.2 are not"
                                        + " supported\nCookies and rolling updates: Cookies issued by Mastodon")
                                .endsWith("update to the latest v4.2 then update to v4.3."),
                        m -> assertThat(m)
                                .startsWith(":warning: StatsD integration has been removed, replaced by OpenTelemetry"
                                        + " integration\nStatsD removal and OpenTelemetry integration: ")
                                .contains("sidekiq-prometheus-exporter"),
                        m -> assertThat(m)
                                .startsWith(":warning: ImageMagick is being deprecated and may be removed in a future"
                                        + " version\nImageMagick deprecation and libvips replacement: ")
                                .contains("set the `MASTODON_USE_LIBVIPS` environment variable to `true`"),
                        m -> assertThat(m)
                                .startsWith("If you are using `rbenv`")
                                .contains("rbenv install"));
        assertThat(n.dockerOnly())
                .singleElement()
                .asString()
                .startsWith(":warning: The Docker image has been split in two separate images\n"
                        + "Docker image split: The official Docker image has now been split in two smaller images:")
                .endsWith("\nMake sure your Docker configuration has been updated to take the Docker image split into"
                        + " account (See the “Docker image split” section above)");
        assertThat(n.information())
                .satisfiesExactly(
                        i -> assertThat(i).isEqualTo("ℹ️ The logging format of the streaming server has changed"),
                        i -> assertThat(i).startsWith("External dependencies have changed since v4.2.12"),
                        i -> assertThat(i).startsWith("Tip: The `charlock_holmes` gem may fail to build"));
        assertThat(n.coveredByFlow())
                .containsExactly(
                        "ℹ️ Requires streaming API restart",
                        "ℹ️ Requires database migrations",
                        INSTALL_IMMUTABLE,
                        PRECOMPILE,
                        "Run the pre-deployment database migrations by specifying the"
                                + " `SKIP_POST_DEPLOYMENT_MIGRATIONS=true` environment variable:"
                                + " `SKIP_POST_DEPLOYMENT_MIGRATIONS=true RAILS_ENV=production bundle exec rails"
                                + " db:migrate`",
                        "Restart all Mastodon processes. If you are updating directly from a Mastodon version earlier"
                                + " than 4.2.0, see the “Cookies and rolling updates” section.",
                        "Run the post-deployment database migrations: `RAILS_ENV=production bundle exec rails"
                                + " db:migrate`");
        assertThat(n.otherRequirements()).contains("libvips (optional, instead of ImageMagick): 8.13 or newer");
        // Each instruction is listed once, not as flag, section and step apart.
        assertThat(String.join("\n", n.manual()))
                .containsOnlyOnce("db:encryption:init`, then copy")
                .containsOnlyOnce("Requires rebuilding Elasticsearch")
                .containsOnlyOnce("Install yarn 4");
    }

    @Test
    void v4_5_patchesAskNothingOfAHuman() {
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
            assertThat(n.backupAdvised()).as(tag).isTrue();
            assertThat(n.manual()).as(tag).isEmpty();
            assertThat(n.dockerOnly()).as(tag).isEmpty();
            // The tip applies only when a build fails.
            assertThat(n.information()).as(tag).containsExactly(TIP_GCC);
            assertThat(n.coveredByFlow())
                    .as(tag)
                    .containsExactly(
                            "ℹ️ Requires assets recompilation",
                            INSTALL_IMMUTABLE,
                            PRECOMPILE,
                            "Restart all Mastodon processes.");
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
                .satisfiesExactly(
                        m -> assertThat(m)
                                .isEqualTo(":warning: ImageMagick support has been dropped, libvips is required"),
                        m -> assertThat(m).isEqualTo(":warning: Custom themes need to be updated"),
                        m -> assertThat(m)
                                .contains("v4.6.0 have no update steps")
                                .contains("https://github.com/mastodon/mastodon/releases/tag/v4.6.0"));
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.information())
                .satisfiesExactly(
                        i -> assertThat(i).startsWith("For a user-focused highlight of these changes"),
                        i -> assertThat(i).startsWith("Tip: A hotfix release").contains("v4.6.1"));
        assertThat(n.coveredByFlow())
                .containsExactly(
                        "ℹ️ Requires assets recompilation",
                        "ℹ️ Requires streaming server restart",
                        "ℹ️ Requires database migrations");
    }

    @Test
    void v4_6_1_cutShortInsideTheUpgradeNotes() {
        ReleaseNotes n = parse("v4.6.1");
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.tasks()).containsOnlyKeys(ASSETS_PRECOMPILE);
        assertThat(n.requirements()).isEqualTo(new Requirements("3.3", "22", "14", "7.0"));
        assertThat(n.manual())
                .satisfiesExactly(
                        m -> assertThat(m)
                                .startsWith("ImageMagick removal and libvips replacement: ")
                                .contains("you will need to install `libvips`"),
                        m -> assertThat(m).startsWith("Theming system changes"),
                        m -> assertThat(m).contains("v4.6.1 have no update steps"));
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.information())
                .containsExactly(
                        "This is a patch release for 4.6.",
                        "Check out the 4.6.0 release notes (https://github.com/mastodon/mastodon/releases/tag/v4.6.0)"
                                + " for information.");
        assertThat(n.coveredByFlow()).containsExactly("ℹ️ Requires assets recompilation");
    }

    @Test
    void v4_6_2_dockerFixApartFromWhatNonDockerAdminsDo() {
        ReleaseNotes n = parse("v4.6.2");
        assertThat(n.tasks()).isEmpty();
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.stepsMissing()).isFalse();
        assertThat(n.manual())
                .containsExactly("If you are not using our docker container images, please make sure your system FFmpeg"
                        + " is updated to a fixed version, that is, 8.1.2, 7.1.5, 6.1.6, or 5.1.10.");
        assertThat(n.dockerOnly())
                .singleElement()
                .asString()
                .startsWith("This release is made solely to update FFmpeg in our docker container images")
                .endsWith("It is critical to update if you use our docker container images.");
        assertThat(n.information()).singleElement().asString().startsWith("For the recently released v4.6.1");
        assertThat(n.coveredByFlow()).containsExactly("Restart all Mastodon processes.");
    }

    @Test
    void v4_6_3_patch() {
        ReleaseNotes n = parse("v4.6.3");
        assertThat(n.tasks()).containsOnlyKeys(BUNDLE_INSTALL, YARN_INSTALL, ASSETS_PRECOMPILE);
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.requirements()).isEqualTo(new Requirements("3.3", "22", "14", "7.0"));
        assertThat(n.otherRequirements()).contains("FFMpeg: 5.1 or newer", "libvips: 8.13 or newer");
        assertThat(n.manual()).isEmpty();
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.information()).containsExactly(TIP_GCC);
        assertThat(n.coveredByFlow())
                .containsExactly(
                        "ℹ️ Requires assets recompilation",
                        INSTALL_IMMUTABLE,
                        PRECOMPILE,
                        "Restart all Mastodon processes.");
    }

    @Test
    void v4_7_0_cutShortWithLongMigrations() {
        ReleaseNotes n = parse("v4.7.0");
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.tasks())
                .containsOnlyKeys(ASSETS_PRECOMPILE, PRE_DEPLOYMENT_MIGRATIONS, POST_DEPLOYMENT_MIGRATIONS);
        // flow runs the migrations, but a human plans for their length (window, task timeout).
        assertThat(n.manual())
                .satisfiesExactly(
                        m -> assertThat(m).isEqualTo("ℹ️ Requires unusually long database migrations"),
                        m -> assertThat(m).contains("v4.7.0 have no update steps"));
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.information())
                .singleElement()
                .asString()
                .contains("required for zero-downtime migration to the upcoming Mastodon");
        assertThat(n.coveredByFlow())
                .containsExactly("ℹ️ Requires assets recompilation", "ℹ️ Requires streaming server restart");
    }

    @Test
    void everyRealNoteAndVariantKeepsTheClassesApart() {
        List<ReleaseNotes> all = new ArrayList<>();
        FakeGitHub.REAL_TAGS.forEach(tag -> all.add(parse(tag)));
        for (String name : List.of(
                "era-a-sidekiq-and-web",
                "era-a-including-streaming",
                "era-a-streaming-not-needed",
                "modern-including-streaming",
                "modern-streaming-not-needed",
                "flag-wins-over-negation",
                "grouped-instruction")) {
            all.add(variant(name));
        }
        for (ReleaseNotes n : all) {
            for (String item : n.manual()) {
                String t = item.toLowerCase(Locale.ROOT);
                // Nothing flow runs or restarts itself, nothing for Docker only, no tip.
                assertThat(n.coveredByFlow()).as(item).noneMatch(item::contains);
                assertThat(RestartWording.MASTODON.kind(t)).as(item).isEqualTo(RestartWording.Kind.OTHER);
                assertThat(t).as(item).doesNotContain("docker-compose").doesNotStartWith("tip:");
                assertThat(n.dockerOnly()).as(item).doesNotContain(item);
                assertThat(n.information()).as(item).doesNotContain(item);
            }
            assertThat(n.information())
                    .allSatisfy(i -> assertThat(n.dockerOnly()).doesNotContain(i));
        }
    }

    @Test
    void restartOfSidekiqAndWebIsFlowsOwnAndNothingSpecialIsInformation() {
        ReleaseNotes n = variant("era-a-sidekiq-and-web");
        assertThat(n.manual()).isEmpty();
        assertThat(n.information()).containsExactly("Nothing special.");
        assertThat(n.coveredByFlow()).containsExactly("Restart all Mastodon processes: restart sidekiq and reload web");
        // "Restart all" in a 3.x note includes streaming, but its non-Docker form names only sidekiq and web.
        assertThat(n.streamingRestart()).isFalse();
        assertThat(n.dockerOnly())
                .containsExactly("The `tootsuite/mastodon` image now runs as an unprivileged user: make sure the"
                        + " `public/system` volume is writable by uid 991");
        assertThat(n.backupAdvised()).isTrue();
    }

    @Test
    void aRestartThatNamesStreamingIsAStreamingRestartInEveryLayout() {
        for (String name : List.of("era-a-including-streaming", "modern-including-streaming")) {
            ReleaseNotes n = variant(name);
            assertThat(n.streamingRestart()).as(name).isTrue();
            assertThat(n.manual()).as(name).isEmpty();
            assertThat(n.coveredByFlow())
                    .as(name)
                    .contains("Restart all Mastodon processes, including the streaming server.");
        }
        // Without the streaming server named, a 4.x note's "Restart all Mastodon processes" leaves it to the flag.
        assertThat(parse("v4.6.2").streamingRestart()).isFalse();
    }

    @Test
    void notesSayingStreamingNeedsNoRestartDoNotAskForOne() {
        ReleaseNotes eraA = variant("era-a-streaming-not-needed");
        assertThat(eraA.streamingRestart()).isFalse();
        assertThat(eraA.manual()).isEmpty();
        assertThat(eraA.coveredByFlow())
                .contains("Restart all Mastodon processes. The streaming server does not need to be restarted.");

        ReleaseNotes modern = variant("modern-streaming-not-needed");
        assertThat(modern.streamingRestart()).isFalse();
        assertThat(modern.manual()).isEmpty();
        assertThat(modern.dockerOnly()).isEmpty(); // the Docker form of the same restart
        assertThat(modern.information())
                .containsExactly("ℹ️ No need to restart the streaming server", "Nothing special.");
        assertThat(modern.coveredByFlow())
                .containsExactly(
                        "ℹ️ Requires assets recompilation",
                        PRECOMPILE,
                        "Non-Docker: restart sidekiq and reload web. The streaming server does not need to be"
                                + " restarted.");

        for (String line : List.of(
                "ℹ️ Does not require a streaming server restart",
                "ℹ️ The streaming server does not need to be restarted",
                "No need to restart the streaming API",
                "ℹ️ Streaming server restart is not required")) {
            ReleaseNotes n = parser.parse(
                    "v4.2.9",
                    "## Upgrade overview\n\n" + line + "\n\n## Upgrade notes\n\n### Update steps\n\n"
                            + "1. Restart all Mastodon processes.\n",
                    null);
            assertThat(n.streamingRestart()).as(line).isFalse();
            assertThat(n.manual()).as(line).isEmpty();
            assertThat(n.information()).as(line).containsExactly(line);
        }
    }

    @Test
    void aStreamingFlagWinsOverASentenceSayingItMayNotBeNeeded() {
        ReleaseNotes n = variant("flag-wins-over-negation");
        assertThat(n.streamingRestart()).isTrue();
        assertThat(n.manual()).isEmpty();
        assertThat(n.coveredByFlow())
                .containsExactly(
                        "ℹ️ Requires streaming API restart",
                        "Install dependencies with `bundle install`",
                        "Restart sidekiq: `systemctl restart mastodon-sidekiq`",
                        "Reload web: `systemctl reload mastodon-web`");
        assertThat(n.information())
                .containsExactly("There is no need to restart the streaming server if you run it from another host.");
    }

    @Test
    void aFlagItsSectionAndItsStepAreOneItemAndDockerPiecesStayApart() {
        ReleaseNotes n = variant("grouped-instruction");
        assertThat(n.manual())
                .containsExactly(
                        "‼️ Requires a new `SECRET_KEY_BASE_DUMMY` environment variable for asset compilation\n"
                                + "Asset compilation dummy key: Asset compilation now refuses to start without a"
                                + " `SECRET_KEY_BASE_DUMMY` environment variable, even though it does not use its"
                                + " value. Add `SECRET_KEY_BASE_DUMMY=1` to the environment of the user that compiles"
                                + " the assets.\n"
                                + "Set the dummy key for asset compilation, see the “Asset compilation dummy key”"
                                + " section: add `SECRET_KEY_BASE_DUMMY=1` to the `mastodon` user's `~/.profile`",
                        "Clear the cache with `RAILS_ENV=production bin/tootctl cache clear`");
        assertThat(n.dockerOnly())
                .containsExactly(":warning: The official container images no longer include `ffmpeg`; Docker users must"
                        + " mount their own\n"
                        + "Docker images and ffmpeg: The images published on ghcr.io no longer ship `ffmpeg`. Mount a"
                        + " static `ffmpeg` build into the `web` and `sidekiq` containers.\n"
                        + "Update your `docker-compose.yml` to mount `ffmpeg`: Docker: see the “Docker images and"
                        + " ffmpeg” section");
        assertThat(n.information())
                .containsExactly(
                        "We strongly recommend updating as soon as possible: this release fixes a security issue.",
                        "ℹ️ Starting from this release, the admin dashboard shows the queue latency of each Sidekiq"
                                + " queue",
                        "External dependencies have changed since v4.4.3: the minimum Redis version is higher.");
        assertThat(n.coveredByFlow())
                .contains("Restart all Mastodon processes: `systemctl restart mastodon-sidekiq && systemctl reload"
                        + " mastodon-web`");
        assertThat(n.tasks()).containsOnlyKeys(PRE_DEPLOYMENT_MIGRATIONS, POST_DEPLOYMENT_MIGRATIONS);
        assertThat(n.requirements()).isEqualTo(new Requirements("3.2", "20", "13", "6.2"));
        assertThat(n.streamingRestart()).isFalse();
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
                "No special upgrade instructions.",
                "Nothing special.")) {
            String body = "## Upgrade overview\n\n" + sentence + "\n\n## Upgrade notes\n\n"
                    + "### Non-Docker\n\n1. Install dependencies with `bundle install`\n"
                    + "2. Restart all Mastodon processes.\n";
            ReleaseNotes n = parser.parse("v4.2.1", body, null);
            assertThat(n.manual()).as(sentence).isEmpty();
            assertThat(n.information()).as(sentence).containsExactly(sentence);
            assertThat(n.tasks()).as(sentence).containsOnlyKeys(BUNDLE_INSTALL);
        }
        // A sentence that merely starts alike but asks for something stays for a human.
        for (String sentence : List.of(
                "This release contains no migrations, but set `FOO=1`.",
                "This release contains no special upgrade notes, but set `FOO=1`.",
                "No database migrations are needed, but you must set `FOO=1`.")) {
            ReleaseNotes asks = parser.parse("v4.2.1", "## Upgrade notes\n\n" + sentence + "\n", null);
            assertThat(asks.manual()).as(sentence).anySatisfy(m -> assertThat(m).contains("FOO=1"));
        }
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
        // The flag and the sentence of the Dependencies section are one instruction.
        assertThat(n.manual())
                .containsExactly("ℹ️ The recommended Ruby version has been updated\n"
                        + "However, the recommended Ruby version has changed from 3.0.4 to 3.0.6.");
        assertThat(n.information()).containsExactly("This is a backport for the 3.5.x branch.");
    }

    @Test
    void aBothDockerAndNonDockerHeadingIsForBoth() {
        String body = """
                ## Upgrade notes

                ### Both Docker and non-Docker

                1. Rebuild the home feeds with `RAILS_ENV=production bin/tootctl feeds build`
                2. Restart all Mastodon processes
                """;
        ReleaseNotes n = parser.parse("v3.4.0", body, null);
        assertThat(n.manual())
                .containsExactly("Rebuild the home feeds with `RAILS_ENV=production bin/tootctl feeds build`");
        assertThat(n.dockerOnly()).isEmpty();
        assertThat(n.streamingRestart()).isTrue();
    }
}
