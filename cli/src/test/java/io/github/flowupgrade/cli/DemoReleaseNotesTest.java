package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.release.ReleaseNotes;
import io.github.flowupgrade.release.ReleaseNotesParser;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release notes {@code ./demo} and the end-to-end tests serve (v4.2.0 to v4.3.1, v4.3.0 being Mastodon's real one):
 * the plan lists each manual action once, keeps Docker-only instructions and information apart, and asks a human for
 * nothing flow does itself.
 */
class DemoReleaseNotesTest {
    @TempDir
    Path cache;

    private FakeGitHub github;

    @BeforeEach
    void serve() throws Exception {
        Path notes = Path.of(
                getClass().getClassLoader().getResource("testhost-releases").toURI());
        github = FakeGitHub.start("mastodon/mastodon", FakeGitHubMain.releases(notes));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private String fetch(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "fetch-release",
                "--app",
                "mastodon",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                cache.toString(),
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0"));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void eachManualActionOnceAndNothingFlowDoesItself() throws Exception {
        JsonNode plan = new ObjectMapper().readTree(fetch("--json")).get("plan");
        List<String> manual = new ArrayList<>();
        plan.get("manual").forEach(m -> manual.add(m.get("text").asText()));
        assertThat(manual)
                .satisfiesExactly(
                        m -> assertThat(m)
                                .startsWith("‼️ Requires new encryption secrets environment variables\n")
                                .contains("\nActive Record encryption secrets configuration: ")
                                .contains("\nGenerate secrets by running `RAILS_ENV=production bin/rails"
                                        + " db:encryption:init`"),
                        m -> assertThat(m)
                                .startsWith(":warning: Requires rebuilding Elasticsearch accounts index\n")
                                .contains("tootctl search deploy --only=accounts"),
                        m -> assertThat(m)
                                .startsWith(":warning: We switched from yarn 1 to yarn 4")
                                .contains("\nInstall yarn 4"),
                        m -> assertThat(m)
                                .startsWith(":warning: Rolling updates from versions earlier than Mastodon 4.2")
                                .contains("\nCookies and rolling updates: "),
                        m -> assertThat(m).startsWith(":warning: StatsD integration has been removed"),
                        m -> assertThat(m).startsWith(":warning: ImageMagick is being deprecated"),
                        m -> assertThat(m).startsWith("If you are using `rbenv`"));
        plan.get("manual").forEach(m -> assertThat(m.get("releases").toString()).isEqualTo("[\"v4.3.0\"]"));
        assertThat(plan.get("dockerOnly")).hasSize(1);
        assertThat(plan.get("dockerOnly").get(0).get("text").asText())
                .startsWith(":warning: The Docker image has been split in two separate images");
        List<String> information = new ArrayList<>();
        plan.get("information").forEach(i -> information.add(i.get("text").asText()));
        assertThat(information)
                .contains("This release contains no special upgrade notes.")
                .anySatisfy(i -> assertThat(i).startsWith("Tip: The `charlock_holmes` gem"));
        List<String> covered = new ArrayList<>();
        plan.get("coveredByFlow").forEach(c -> covered.add(c.get("text").asText()));
        assertThat(covered)
                .contains(
                        "Restart all Mastodon processes.",
                        "ℹ️ Requires streaming API restart",
                        "Install dependencies with `bundle install` and `yarn install --immutable`");
        for (String m : manual) {
            assertThat(covered).as(m).noneMatch(m::contains);
            assertThat(m).doesNotContain("docker-compose").doesNotContain("charlock_holmes");
        }
        assertThat(plan.get("streamingRestart").asBoolean()).isTrue();
    }

    @Test
    void eachOfTheServedNotesOnItsOwn() throws Exception {
        Path dir = Path.of(
                getClass().getClassLoader().getResource("testhost-releases").toURI());
        ReleaseNotesParser parser = new ReleaseNotesParser();
        Map<String, ReleaseNotes> notes = new TreeMap<>();
        for (String tag : List.of("v4.2.0", "v4.2.1", "v4.3.0-rc.1", "v4.3.1")) {
            notes.put(tag, parser.parse(tag, Files.readString(dir.resolve(tag + ".md")), null));
        }
        notes.forEach((tag, n) -> {
            assertThat(n.dockerOnly()).as(tag).isEmpty();
            assertThat(n.stepsMissing()).as(tag).isFalse();
            assertThat(n.coveredByFlow()).as(tag).anySatisfy(c -> assertThat(c).startsWith("Restart all"));
        });
        assertThat(notes.get("v4.2.0").manual()).isEmpty();
        assertThat(notes.get("v4.2.0").information()).isEmpty();
        assertThat(notes.get("v4.2.0").streamingRestart()).isTrue();
        assertThat(notes.get("v4.2.1").manual()).isEmpty();
        assertThat(notes.get("v4.2.1").information())
                .containsExactly("This release contains no special upgrade notes.");
        assertThat(notes.get("v4.2.1").streamingRestart()).isFalse();
        assertThat(notes.get("v4.3.0-rc.1").manual())
                .containsExactly("This is a release candidate: test it before you run it in production.");
        assertThat(notes.get("v4.3.1").manual()).isEmpty();
        assertThat(notes.get("v4.3.1").information()).isEmpty();
        assertThat(notes.get("v4.3.1").streamingRestart()).isFalse();
    }

    @Test
    void theSummaryShowsEachClassUnderItsOwnHeading() {
        String summary = fetch();
        assertThat(summary)
                .contains("For a human (7), not run by flow:")
                .contains("Docker installations only (1), nothing to do here:")
                .contains("For information (")
                .containsOnlyOnce("Generate secrets by running")
                .containsOnlyOnce("Install yarn 4");
        assertThat(summary.substring(summary.indexOf("For a human"), summary.indexOf("Docker installations only")))
                .doesNotContain("Docker image")
                .doesNotContain("Restart all Mastodon processes");
    }
}
