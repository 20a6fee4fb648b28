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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release notes of {@code tootsuite/flow} that {@code ./demo --app flow} and the Flow end-to-end tests serve
 * (v4.2.0 to v4.4.0): under the flow profile, v4.2.0 to v4.4.0 is one hop that carries the instructions of the three
 * releases it skips, where Mastodon's rule would deploy v4.3.1 first.
 */
class FlowDemoReleaseNotesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path cache;

    private FakeGitHub github;

    @BeforeEach
    void serve() throws Exception {
        github = FakeGitHub.start("tootsuite/flow", FakeGitHubMain.releases(notesDir()));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void flowsSingleHopCarriesEveryTaskOfTheSkippedReleases() throws Exception {
        JsonNode lookup = fetch("flow");

        assertThat(lookup.get("releases").toString()).isEqualTo("[\"v4.2.1\",\"v4.3.0\",\"v4.3.1\",\"v4.4.0\"]");
        assertThat(lookup.get("hops").toString()).isEqualTo("[\"v4.4.0\"]");
        JsonNode hop = lookup.get("hopPlans").get(0);
        assertThat(hop.get("releases").toString()).isEqualTo("[\"v4.2.1\",\"v4.3.0\",\"v4.3.1\",\"v4.4.0\"]");
        List<String> tasks = new ArrayList<>();
        hop.get("plan")
                .get("tasks")
                .forEach(t -> tasks.add(
                        t.get("phase").asText() + " " + t.get("command").asText() + " " + t.get("releases")));
        // Each task once, however many releases ask for it; three are asked for by skipped releases only.
        assertThat(tasks)
                .containsExactly(
                        "after-checkout bundle install [\"v4.2.1\",\"v4.3.0\",\"v4.3.1\",\"v4.4.0\"]",
                        "after-checkout yarn install --immutable [\"v4.2.1\",\"v4.3.0\",\"v4.3.1\"]",
                        "after-checkout bundle exec rails assets:precompile [\"v4.3.0\"]",
                        "after-checkout SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate"
                                + " [\"v4.3.0\",\"v4.3.1\"]",
                        "after-restart bundle exec rails db:migrate [\"v4.3.0\",\"v4.3.1\"]");
        // The streaming restart comes from a skipped release (v4.3.0), not from the target's notes.
        assertThat(hop.get("plan").get("streamingRestart").asBoolean()).isTrue();
        assertThat(hop.get("plan").get("requirements").toString()).contains("\"ruby\":\"3.2\"");
        // "Restart all Flow processes." is a restart flow carries out under the flow profile, not a manual step.
        assertThat(lookup.get("plan").get("manual").toString()).doesNotContain("Restart all Flow processes");
        assertThat(lookup.get("plan").get("coveredByFlow").toString()).contains("Restart all Flow processes");
    }

    @Test
    void mastodonsRuleOnTheSameReleasesDeploysEveryMinorSeries() throws Exception {
        JsonNode lookup = fetch("mastodon", "--repo", "tootsuite/flow");

        assertThat(lookup.get("hops").toString()).isEqualTo("[\"v4.3.1\",\"v4.4.0\"]");
        assertThat(lookup.get("hopPlans").get(0).get("releases").toString())
                .isEqualTo("[\"v4.2.1\",\"v4.3.0\",\"v4.3.1\"]");
        assertThat(lookup.get("hopPlans").get(1).get("releases").toString()).isEqualTo("[\"v4.4.0\"]");
    }

    @Test
    void eachOfTheServedNotesOnItsOwn() throws Exception {
        ReleaseNotesParser parser = new ReleaseNotesParser();
        for (String tag : List.of("v4.2.0", "v4.2.1", "v4.3.0-rc.1", "v4.3.0", "v4.3.1", "v4.4.0")) {
            String text = Files.readString(notesDir().resolve(tag + ".md"));
            assertThat(text).as(tag).doesNotContainIgnoringCase("mastodon");
            ReleaseNotes notes = parser.parse(tag, text, null);
            assertThat(notes.stepsMissing()).as(tag).isFalse();
            assertThat(notes.streamingRestart())
                    .as(tag)
                    .isEqualTo(List.of("v4.2.0", "v4.3.0-rc.1", "v4.3.0").contains(tag));
        }
    }

    private JsonNode fetch(String app, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "fetch-release",
                "--app",
                app,
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                cache.toString(),
                "--tag",
                "v4.4.0",
                "--from",
                "v4.2.0",
                "--json",
                "--audit-log",
                cache.resolve("audit.jsonl").toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    private Path notesDir() throws Exception {
        return Path.of(getClass()
                .getClassLoader()
                .getResource("testhost-flow-releases")
                .toURI());
    }
}
