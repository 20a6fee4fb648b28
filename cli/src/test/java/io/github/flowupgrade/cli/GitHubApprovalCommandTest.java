package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHub.Review;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.SshKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --approval-environment} on {@code flow restart} and {@code flow upgrade}, in-process with the environment a
 * GitHub runner gives a step: the run's approvals are read from the loopback GitHub double before any host is reached;
 * the environment's approval names its reviewer, anything else refuses with exit 3. And {@code --json} prints a
 * result object whatever happens, with the error and the exit code when the run fails.
 */
class GitHubApprovalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "octo-org/mastodon-config";
    private static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    @TempDir
    Path tmp;

    private FakeGitHub github;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void serve() throws Exception {
        github = FakeGitHub.start(
                "mastodon/mastodon",
                FakeGitHubMain.releases(Path.of(GitHubApprovalCommandTest.class
                        .getClassLoader()
                        .getResource("testhost-releases")
                        .toURI())));
        github.validToken(TOKEN);
        env.put("GITHUB_API_URL", github.apiUrl().toString());
        env.put("GITHUB_REPOSITORY", REPOSITORY);
        env.put("GITHUB_RUN_ID", "4242");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("FLOW_TOKEN", TOKEN);
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    }

    @AfterEach
    void stop() {
        github.close();
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    /** {@code flow args} with {@link #env} as the process environment of the options that read it. */
    private Run flow(String... args) {
        FlowCommand flow = new FlowCommand();
        CommandLine cli = FlowCommand.commandLine(flow, args);
        Object command = cli.getSubcommands().get(args[0]).getCommand();
        if (command instanceof RestartCommand restart) {
            restart.approval.env = env;
        } else if (command instanceof UpgradeCommand upgrade) {
            upgrade.approval.env = env;
            upgrade.lookup.env = env;
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(flow, cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
        Run run = new Run(code, out.toString(), err.toString());
        assertThat(run.out() + run.err()).as("the token").doesNotContain(TOKEN);
        return run;
    }

    private static List<String> restartStreaming(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "restart",
                "--host",
                "h.invalid",
                "--services",
                "none",
                "--streaming",
                "always",
                "--approval-environment",
                "mastodon-streaming",
                "--token-env",
                "FLOW_TOKEN",
                "--json"));
        args.addAll(List.of(more));
        return args;
    }

    private void reviews(Review... reviews) {
        github.runReviews(REPOSITORY, 4242, List.of(reviews));
    }

    @Test
    void restartWithTheEnvironmentsApprovalRestartsStreamingInTheReviewersName() throws Exception {
        reviews(
                Review.approved("carol-ops", "", "mastodon-upgrade"),
                Review.approved("bob-reviewer", "Quiet hour, go", "mastodon-streaming"));

        Run run = flow(restartStreaming("--dry-run").toArray(String[]::new));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err())
                .contains("Reading the approvals of GitHub run 4242 attempt 1 of " + REPOSITORY + " from "
                        + github.apiUrl())
                .contains("GitHub environment mastodon-streaming approved in run 4242 attempt 1 of " + REPOSITORY
                        + " by bob-reviewer")
                .containsSubsequence(
                        "streaming restart approved by bob-reviewer",
                        "would run: sudo -n systemctl restart mastodon-streaming");
        JsonNode result = run.json();
        assertThat(result.path("exitCode").asInt()).isZero();
        assertThat(result.path("error").isNull()).isTrue();
        assertThat(result.path("notRun")).isEmpty();
        assertThat(result.path("hosts")
                        .get(0)
                        .path("streaming")
                        .path("approvedBy")
                        .asText())
                .isEqualTo("bob-reviewer");
        assertThat(github.paths())
                .containsExactly("/repos/" + REPOSITORY + "/actions/runs/4242/approvals?per_page=100");
        assertThat(github.authorizations()).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void withoutTheEnvironmentsApprovalNoHostIsReachedAndTheTrailSaysWhy() throws Exception {
        List<Review[]> refusals = List.of(
                new Review[0], new Review[] {Review.approved("carol-ops", "", "mastodon-upgrade")}, new Review[] {
                    Review.approved("bob-reviewer", "", "mastodon-streaming"),
                    Review.rejected("dave-ops", "Not during the event", "mastodon-streaming")
                });
        List<String> why = List.of(
                "it has no approval of it yet",
                "only other environments were approved in it: mastodon-upgrade",
                "was rejected in run 4242 attempt 1 of " + REPOSITORY + " by dave-ops");
        SshKeys key = SshKeys.generate(tmp.resolve("keys"), "id_ed25519");
        String knownHosts = Files.writeString(tmp.resolve("known_hosts"), "").toString();
        for (int i = 0; i < refusals.size(); i++) {
            reviews(refusals.get(i));
            Path trail = tmp.resolve("refused-" + i + ".jsonl");
            // Not a dry run: h.invalid cannot be resolved, so reaching for it would end in exit 5, not 3.
            Run run = flow(restartStreaming(
                            "--audit-log",
                            trail.toString(),
                            "--identity",
                            key.privateKey().toString(),
                            "--known-hosts",
                            knownHosts)
                    .toArray(String[]::new));

            assertThat(run.code()).as(run.err()).isEqualTo(3);
            assertThat(run.err())
                    .contains("flow: the GitHub environment mastodon-streaming")
                    .contains(why.get(i));
            JsonNode result = run.json();
            assertThat(result.path("exitCode").asInt()).isEqualTo(3);
            assertThat(result.path("error").asText()).contains(why.get(i));
            assertThat(result.path("hosts")).isEmpty();
            assertThat(result.path("notRun").get(0).asText()).isEqualTo("h.invalid");

            List<JsonNode> events = new ArrayList<>();
            for (String line : Files.readAllLines(trail)) {
                events.add(JSON.readTree(line));
            }
            assertThat(events)
                    .extracting(e -> e.path("type").asText())
                    .containsExactly("run.started", "github.request", "approval.checked", "run.finished");
            assertThat(events.get(2).path("fields").path("outcome").asText())
                    .isEqualTo(i == 2 ? "rejected" : "not approved");
            assertThat(events.get(3).path("fields").path("status").asText()).isEqualTo("refused");
            assertThat(Files.readString(trail)).doesNotContain(TOKEN);
        }
    }

    @Test
    void upgradeProvesTheApprovalBeforeAnyHostAndPrintsItsResultWhenRefused() throws Exception {
        List<String> upgrade = List.of(
                "upgrade",
                "--host",
                "h.invalid",
                "--login",
                "root",
                "--as",
                "su",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--token-env",
                "FLOW_TOKEN",
                "--confirm-manual",
                "--approval-environment",
                "mastodon-streaming",
                "--json",
                "--dry-run");
        reviews(Review.approved("carol-ops", "", "mastodon-upgrade"));
        Run refused = flow(upgrade.toArray(String[]::new));
        assertThat(refused.code()).as(refused.err()).isEqualTo(3);
        JsonNode result = refused.json();
        assertThat(result.path("tag").asText()).isEqualTo("v4.3.1");
        assertThat(result.path("exitCode").asInt()).isEqualTo(3);
        assertThat(result.path("error").asText()).contains("mastodon-streaming was not approved in run 4242");
        assertThat(result.path("hosts")).isEmpty();
        assertThat(result.path("notRun").get(0).asText()).isEqualTo("h.invalid");
        assertThat(github.paths()).as("no release was looked up").allMatch(p -> p.contains("/actions/runs/"));

        reviews(Review.approved("bob-reviewer", "", "mastodon-streaming"));
        Run approved = flow(upgrade.toArray(String[]::new));
        assertThat(approved.code()).as(approved.err()).isZero();
        assertThat(approved.err())
                .containsSubsequence(
                        "streaming restart approved by bob-reviewer",
                        "would run: systemctl restart mastodon-streaming");
        assertThat(approved.json()
                        .path("hosts")
                        .get(0)
                        .path("streaming")
                        .path("approvedBy")
                        .asText())
                .isEqualTo("bob-reviewer");
    }

    @Test
    void anApprovalThatCannotBeReadIsBadInputBeforeAnything() throws Exception {
        reviews(Review.approved("bob-reviewer", "", "mastodon-streaming"));
        List<List<String>> cases = new ArrayList<>();
        cases.add(restartStreaming("--approved-by", "Alice Admin"));
        List<String> noToken = restartStreaming();
        noToken.removeAll(List.of("--token-env", "FLOW_TOKEN"));
        cases.add(noToken);
        cases.add(restartStreaming("--dry-run").stream()
                .map(a -> a.equals("mastodon-streaming") ? "prod\nforged" : a)
                .toList());
        for (List<String> args : cases) {
            Run run = flow(args.toArray(String[]::new));
            assertThat(run.code()).as(args + "\n" + run.err()).isEqualTo(2);
            assertThat(run.json().path("exitCode").asInt()).isEqualTo(2);
        }
        env.remove("GITHUB_RUN_ID");
        Run outside = flow(restartStreaming("--dry-run").toArray(String[]::new));
        assertThat(outside.code()).isEqualTo(2);
        assertThat(outside.err()).contains("GITHUB_RUN_ID and GITHUB_REPOSITORY, which are not set here");
        assertThat(github.requests()).isZero();
    }

    @Test
    void aRestartThatFailsOnAHostStillPrintsItsResult() throws Exception {
        SshKeys key = SshKeys.generate(tmp.resolve("keys"), "id_ed25519");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Run run = flow(
                "restart",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(closed),
                "--identity",
                key.privateKey().toString(),
                "--known-hosts",
                Files.writeString(tmp.resolve("known_hosts"), "").toString(),
                "--connect-timeout",
                "2",
                "--audit-log",
                tmp.resolve("trail.jsonl").toString(),
                "--json");

        assertThat(run.code()).as(run.err()).isEqualTo(5);
        JsonNode result = run.json();
        assertThat(result.path("exitCode").asInt()).isEqualTo(5);
        assertThat(result.path("error").asText()).isNotBlank();
        assertThat(run.err()).contains("flow: " + result.path("error").asText());
        JsonNode host = result.path("hosts").get(0);
        assertThat(host.path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(host.path("status").asText()).isEqualTo("failed");
        assertThat(host.path("exitCode").asInt()).isEqualTo(5);
        assertThat(result.path("notRun")).isEmpty();
    }
}
