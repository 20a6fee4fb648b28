package io.github.flowupgrade.action;

import static io.github.flowupgrade.action.ActionTesting.JOB_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's inputs becoming one flow command line, on a dry run (the release looked up on the GitHub double, no
 * host reached): an instance file with inputs over it, the outputs and the job summary, bad inputs refused with exit 2
 * before flow starts, and text from the release notes that looks like workflow commands left inert.
 */
class ActionInputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELEASE_TOKEN = "ghp_ReleaseLookupToken0123456789abcdefXYZ";

    @TempDir
    Path tmp;

    private FakeGitHub github;

    @BeforeEach
    void serveReleaseNotes() throws Exception {
        List<FakeGitHub.Release> releases = new ArrayList<>();
        for (FakeGitHub.Release r : FakeGitHubMain.releases(
                ActionTesting.repository().resolve("cli/src/test/resources/testhost-releases"))) {
            // Text in the notes that a runner would take for workflow commands, were they not stopped.
            String body = r.tag().equals("v4.3.1")
                    ? r.body()
                            .replace(
                                    "3. Restart all Mastodon processes.",
                                    "3. Check your proxy: ##[add-mask]mastodon\n"
                                            + "::error title=forged::by the release notes\n"
                                            + "4. Restart all Mastodon processes.")
                    : r.body();
            releases.add(new FakeGitHub.Release(
                    r.id(), r.tag(), r.name(), body, r.publishedAt(), r.draft(), r.prerelease()));
        }
        github = FakeGitHub.start("mastodon/mastodon", releases);
        github.validToken(RELEASE_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private CompositeAction.Run action(Map<String, String> with) throws Exception {
        return action(with, github.apiUrl().toString());
    }

    /** The action in a job whose own GitHub API is {@code jobApi}. */
    private CompositeAction.Run action(Map<String, String> with, String jobApi) throws Exception {
        Map<String, String> all = ActionTesting.with(
                "github-token",
                RELEASE_TOKEN,
                "flow-jar",
                ActionTesting.flowJar().toString(),
                "extra-args",
                "--api-url\n" + github.apiUrl() + "\n--cache-dir\n" + tmp.resolve("github-cache"));
        all.putAll(with);
        CompositeAction.Run run =
                ActionTesting.action().run(all, ActionTesting.runner(tmp, ActionTesting.github(jobApi), Map.of()));
        assertThat(run.printed()).doesNotContain(RELEASE_TOKEN).doesNotContain(JOB_TOKEN);
        return run;
    }

    @Test
    void anInstanceFileAndInputsOverItMakeOneDryRunOfEveryHost() throws Exception {
        Path workspace = tmp.resolve("workspace");
        Files.createDirectories(workspace.resolve("mastodon"));
        Files.writeString(workspace.resolve("mastodon/instance.json"), """
                {"hosts": ["social.example.invalid", "media.example.invalid"], "login": "root", "as": "su",
                 "port": 2222, "hostKeys": ["SHA256:bmVpdGhlciBhIHJlYWwga2V5IG5vciBhIHNlY3JldAo"]}
                """);

        CompositeAction.Run run = action(ActionTesting.with(
                "command", "upgrade",
                "instance-file", "mastodon/instance.json",
                "hosts", "social.example.invalid, media.example.invalid",
                "port", "22",
                "tag", "v4.3.1",
                "from", "v4.2.0",
                "confirm-manual", "true",
                "dry-run", "true"));

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.printed())
                .contains(" upgrade --tag v4.3.1 --from v4.2.0 --streaming if-needed --confirm-manual"
                        + " --host social.example.invalid --host media.example.invalid --login root --as su"
                        + " --port 22 --host-key SHA256:bmVpdGhlciBhIHJlYWwga2V5IG5vciBhIHNlY3JldAo --json"
                        + " --no-prompt --actor 'alice-admin (GitHub Actions)'"
                        + " --build-url https://github.com/octo-org/mastodon-config/actions/runs/4242/attempts/1"
                        + " --dry-run --api-url " + github.apiUrl())
                .contains("--token-env FLOW_ACTION_GITHUB_TOKEN")
                .contains("[social.example.invalid] would run: systemctl restart mastodon-sidekiq")
                .contains("[media.example.invalid] would run: systemctl reload mastodon-web");
        assertThat(github.authorizations()).contains("Bearer " + RELEASE_TOKEN);
        assertThat(run.masks()).containsExactly(RELEASE_TOKEN);

        JsonNode result = JSON.readTree(run.output("result"));
        assertThat(result.path("hosts")).hasSize(2);
        assertThat(run.output("status")).isEqualTo("planned");
        assertThat(run.output("streaming-needed")).isEqualTo("true");
        // No approval: the dry run says the streaming restart would wait for one, on both hosts.
        assertThat(run.output("streaming-pending")).isEqualTo("true");
        assertThat(run.output("streaming-pending-hosts")).isEqualTo("social.example.invalid\nmedia.example.invalid");
        assertThat(run.output("audit-log")).as("a dry run keeps no trail").isEmpty();
        assertThat(Files.readString(Path.of(run.output("result-file")))).isEqualTo(run.output("result") + "\n");
        assertThat(run.summary())
                .contains("### flow upgrade")
                .contains("| social.example.invalid | v4.2.0 | v4.3.1 | planned |")
                .contains("- Check your proxy: ##\\[add-mask]mastodon");
        // The runner's cache step is skipped when a jar is given; Java is set up.
        assertThat(run.wouldRun("actions/cache")).isFalse();
        assertThat(run.wouldRun("actions/setup-java")).isTrue();
    }

    @Test
    void textFromTheReleaseNotesIsNeverTakenForAWorkflowCommand() throws Exception {
        // The job's GitHub is not where the releases are looked up: its token stays home.
        CompositeAction.Run run = action(
                ActionTesting.with(
                        "command", "upgrade",
                        "hosts", "social.example.invalid",
                        "tag", "v4.3.1",
                        "from", "v4.2.0",
                        "dry-run", "true"),
                "https://github.example.com/api/v3");
        assertThat(github.authorizations()).isEmpty();
        assertThat(run.printed()).doesNotContain("--token-env");

        assertThat(run.exitCode()).as(run.printed()).isEqualTo(3);
        assertThat(run.printed())
                .contains("Check your proxy: ##[add-mask]mastodon")
                .contains("::error title=forged::by the release notes");
        assertThat(run.masks()).containsExactly(RELEASE_TOKEN);
        assertThat(run.commands())
                .extracting(CompositeAction.Command::name)
                .containsExactly("add-mask", "stop-commands", "resume-commands", "error");
        assertThat(run.commands().get(3).value())
                .startsWith("8 manual step(s) from the release notes are not confirmed; nothing was changed")
                .doesNotContain("%0A");
        assertThat(run.log()).contains("[social.example.invalid] would run:").doesNotContain("***");
    }

    @Test
    void badInputIsRefusedWithExit2BeforeFlowRuns() throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("workspace"));
        Files.writeString(workspace.resolve("typo.json"), "{\"hosts\": [\"a.example\"], \"hostkeys\": []}");
        String[][] cases = {
            {"command", "deploy"},
            {"dry-run", "yes"},
            {"tag", ""},
            {"hosts", ""},
            {"host-keys", "SHA256:abc", "known-hosts", "a.example ssh-ed25519 AAAA"},
            {"dry-run", "false"},
            {"extra-args", "--approved-by\nmallory"},
            {"extra-args", "--insecure-accept-any-host-key"},
            {"extra-args", "--identity=/root/.ssh/id_ed25519"},
            {"instance-file", "typo.json"},
            {"instance-file", "missing.json"},
            {"ssh-key", "not a key at all"},
            {"command", "restart-streaming"},
            {"command", "plan", "approval-environment", "mastodon-streaming"},
            {"streaming", "sometimes"},
        };
        for (String[] overrides : cases) {
            Map<String, String> with = ActionTesting.with(
                    "command", "upgrade",
                    "hosts", "a.example",
                    "tag", "v4.3.1",
                    "from", "v4.2.0",
                    "dry-run", "true");
            with.putAll(ActionTesting.with(overrides));
            CompositeAction.Run run = action(with);
            String what = String.join(" ", overrides);
            assertThat(run.exitCode()).as(what + "\n" + run.printed()).isEqualTo(2);
            assertThat(run.output("exit-code")).as(what).isEqualTo("2");
            assertThat(run.printed())
                    .as(what)
                    .doesNotContain("flow.jar upgrade")
                    .contains("flow-action: ");
            assertThat(run.commands()).as(what).anyMatch(c -> c.name().equals("error"));
        }
        assertThat(github.requests()).as("GitHub requests").isZero();

        // What flow itself refuses, as bad input, before any connection.
        CompositeAction.Run hostile = action(ActionTesting.with(
                "command", "upgrade", "hosts", "a.example", "tag", "v4.3.1;reboot", "dry-run", "true"));
        assertThat(hostile.exitCode()).as(hostile.printed()).isEqualTo(2);
        assertThat(hostile.output("exit-code")).isEqualTo("2");

        CompositeAction.Run missingJar = action(ActionTesting.with(
                "hosts", "a.example", "tag", "v4.3.1", "flow-jar", "no/such/flow.jar", "dry-run", "true"));
        assertThat(missingJar.exitCode()).isEqualTo(2);
        assertThat(missingJar.printed()).contains("flow-jar no/such/flow.jar is not a readable file");
        assertThat(missingJar.steps())
                .filteredOn(s -> s.name().equals("Run flow"))
                .singleElement()
                .satisfies(s -> assertThat(s.ran()).isFalse());
    }
}
