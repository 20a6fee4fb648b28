package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flow upgrade --app flow} end to end on the Flow-shaped test host ({@code testhost up --app flow}): the user
 * {@code flow}, {@code /home/flow/live}, the units {@code flow-*}, release notes of {@code tootsuite/flow}, and
 * Flow's single hop from v4.2.0 to v4.4.0 over the whole 4.3 series. As in {@link UpgradeEndToEndTest}, the CLI and
 * the GitHub API double run as child JVMs inside the host's network namespace.
 */
@Tag("testhost")
class FlowUpgradeEndToEndTest {
    @RegisterExtension
    static final TestHost FLOW = TestHost.forApp("flow");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    private static final String TASK_PREFIX =
            "flow /home/flow/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS=";
    /** A unit of any app, as commands name them: {@code mastodon-web}, {@code flow-streaming@4000.service}... */
    private static final Pattern UNIT = Pattern.compile("\\b[a-z]+-(?:web|sidekiq|streaming)\\b");
    /** A task of the release, as the stand-ins are called inside the command's quoting. */
    private static final Pattern TASK = Pattern.compile("'(?:bundle|yarn) ");

    private static final Pattern HOME = Pattern.compile("/home/[a-z]+");

    private static Process github;
    private static String githubUrl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void serveReleaseNotes() throws Exception {
        github = FLOW.start(
                JAVA,
                "-cp",
                CLASS_PATH,
                "io.github.flowupgrade.testing.FakeGitHubMain",
                FLOW.releaseRepo(),
                FLOW.releaseNotes().toString());
        String first =
                new BufferedReader(new InputStreamReader(github.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("FakeGitHubMain's first line").startsWith("FAKE_GITHUB_URL=http://127.0.0.1:");
        githubUrl = first.substring("FAKE_GITHUB_URL=".length());
    }

    @AfterAll
    static void stopServing() throws Exception {
        if (github != null) {
            github.getOutputStream().close();
            if (!github.waitFor(10, TimeUnit.SECONDS)) {
                github.destroyForcibly();
            }
        }
    }

    @BeforeEach
    void freshHost() throws Exception {
        FLOW.reset();
        String toolchain = Files.readString(FLOW.toolchainScript());
        TestHost.Result installed = FLOW.ssh(
                "root",
                toolchain + "\n: > /var/tmp/flow-toolchain.log; rm -f /var/tmp/flow-toolchain.fail"
                        + " /var/tmp/flow-toolchain-*.version");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    @Test
    void upgradesInOneHopAsFlowInItsDirectoryOnItsUnitsAndTouchesNothingOfMastodon() throws Exception {
        long webBefore = mainPid("flow-web");
        long sidekiqBefore = mainPid("flow-sidekiq");
        long streamingBefore = mainPid("flow-streaming");
        Path stop = tmp.resolve("stop-health-loop");
        Process loop = healthLoop(stop);

        Path audit = tmp.resolve("audit.jsonl");
        Run run = flow(
                "upgrade",
                "--tag",
                "v4.4.0",
                "--confirm-manual",
                "--approved-by",
                "Fay Flow",
                "--json",
                "--audit-log",
                audit.toString());

        Files.writeString(stop, "stop");
        String[] counts = finish(loop).strip().split(" ");
        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(Long.parseLong(counts[1]))
                .as("failed health requests during the upgrade (%s succeeded)", counts[0])
                .isZero();
        assertThat(Long.parseLong(counts[0]))
                .as("health requests during the upgrade")
                .isGreaterThanOrEqualTo(20);

        // One hop, straight to v4.4.0, carrying the three releases it skips.
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("upgraded");
        assertThat(result.path("hops").toString()).isEqualTo("[\"v4.4.0\"]");
        assertThat(result.path("releases").toString()).isEqualTo("[\"v4.2.1\",\"v4.3.0\",\"v4.3.1\",\"v4.4.0\"]");
        assertThat(result.path("checkouts")).hasSize(1);
        assertThat(steps(result)).contains("checkout v4.4.0=done").noneMatch(s -> s.startsWith("checkout v4.3"));
        String v440 = tagCommit("v4.4.0");
        assertThat(result.path("commit").asText()).isEqualTo(v440);
        assertThat(FLOW.ssh("flow", "git -C /home/flow/live rev-parse HEAD").out())
                .isEqualTo(v440);

        // Every task of the skipped releases ran once, as flow in /home/flow/live, pre-deployment ones first.
        assertThat(toolchainLog())
                .containsExactly(
                        TASK_PREFIX + " bundle install",
                        TASK_PREFIX + " yarn install --immutable",
                        TASK_PREFIX + " bundle exec rails assets:precompile",
                        TASK_PREFIX + "true bundle exec rails db:migrate",
                        TASK_PREFIX + " bundle exec rails db:migrate");
        List<JsonNode> events = events(audit);
        List<String> tasks = new ArrayList<>();
        events.stream()
                .filter(e -> e.path("type").asText().equals("task.completed"))
                .forEach(e -> tasks.add(e.path("fields").path("command").asText() + " "
                        + e.path("fields").path("hop").asText() + " "
                        + e.path("fields").path("releases")));
        assertThat(tasks)
                .containsExactly(
                        "bundle install v4.4.0 [\"v4.2.1\",\"v4.3.0\",\"v4.3.1\",\"v4.4.0\"]",
                        "yarn install --immutable v4.4.0 [\"v4.2.1\",\"v4.3.0\",\"v4.3.1\"]",
                        "bundle exec rails assets:precompile v4.4.0 [\"v4.3.0\"]",
                        "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate v4.4.0"
                                + " [\"v4.3.0\",\"v4.3.1\"]",
                        "bundle exec rails db:migrate v4.4.0 [\"v4.3.0\",\"v4.3.1\"]");

        // The restarts: sidekiq restarted, web reloaded in place (same PID), streaming restarted behind the gate
        // because a skipped release (v4.3.0) asks for it.
        assertThat(service(result, "flow-sidekiq").path("action").asText()).isEqualTo("restart");
        assertThat(mainPid("flow-sidekiq")).isNotEqualTo(sidekiqBefore).isPositive();
        JsonNode web = service(result, "flow-web");
        assertThat(web.path("action").asText()).isEqualTo("reload");
        assertThat(web.path("healthy").asBoolean()).isTrue();
        assertThat(web.path("mainPidAfter").asLong()).isEqualTo(webBefore);
        assertThat(mainPid("flow-web")).isEqualTo(webBefore);
        assertThat(FLOW.exec("curl", "-fsS", "-m", "5", "http://127.0.0.1:3000/version")
                        .out())
                .isEqualTo("v4.4.0");
        JsonNode streaming = result.path("streaming");
        assertThat(streaming.path("restarted").asBoolean()).isTrue();
        assertThat(streaming.path("approvedBy").asText()).isEqualTo("Fay Flow");
        assertThat(mainPid("flow-streaming")).isNotEqualTo(streamingBefore);

        // The audit trail: every command as flow (the app's commands) or root (systemctl, probes), every path under
        // /home/flow, every unit a flow-* one; and no record names mastodon at all.
        List<JsonNode> commands = events.stream()
                .filter(e -> e.path("type").asText().equals("command"))
                .map(e -> e.path("fields"))
                .toList();
        assertThat(commands).hasSizeGreaterThan(20);
        for (JsonNode command : commands) {
            String line = command.path("command").asText();
            assertThat(command.path("user").asText()).as(line).isIn("flow", "root");
            assertThat(command.path("login").asText()).as(line).isEqualTo("root");
            Matcher home = HOME.matcher(line);
            while (home.find()) {
                assertThat(home.group()).as(line).isEqualTo("/home/flow");
            }
            Matcher unit = UNIT.matcher(line);
            while (unit.find()) {
                assertThat(unit.group()).as(line).isIn("flow-web", "flow-sidekiq", "flow-streaming");
            }
            if (command.path("user").asText().equals("root")) {
                assertThat(line).as(line).containsAnyOf("systemctl ", "curl ");
            }
        }
        assertThat(commands.stream().map(c -> c.path("command").asText()))
                .anyMatch(c -> c.contains("systemctl restart flow-sidekiq"))
                .anyMatch(c -> c.contains("systemctl reload flow-web"))
                .anyMatch(c -> c.contains("systemctl restart flow-streaming"))
                .anyMatch(c -> c.contains("git -C /home/flow/live -c 'advice.detachedHead=false' checkout"))
                .filteredOn(c -> TASK.matcher(c).find())
                .hasSize(5)
                .allMatch(c -> c.startsWith("su - flow -c ") && c.contains("cd /home/flow/live && "));
        assertThat(events.stream()
                        .filter(e -> e.path("type").asText().startsWith("service."))
                        .map(e -> e.path("fields").path("name").asText())
                        .distinct())
                .containsExactlyInAnyOrder("flow-sidekiq", "flow-web", "flow-streaming");
        assertThat(Files.readString(audit)).doesNotContainIgnoringCase("mastodon");
        assertThat(run.stdout + run.stderr).doesNotContainIgnoringCase("mastodon");
        StringWriter out = new StringWriter();
        int verify = FlowCommand.execute(
                new String[] {"audit", "verify", audit.toString()}, new PrintWriter(out), new PrintWriter(out));
        assertThat(verify).as(out.toString()).isZero();
    }

    @Test
    void aFailedTaskSaysHowToResumeWithTheFlowProfileAndTheLinePastedAsPrintedFinishes() throws Exception {
        FLOW.ssh("root", "echo yarn > /var/tmp/flow-toolchain.fail");
        Run failed = flow("upgrade", "--tag", "v4.4.0", "--confirm-manual", "--approved-by", "fay");

        assertThat(failed.exitCode).as(failed.stderr).isEqualTo(4);
        assertThat(failed.stderr)
                .contains("upgrade task 'yarn install --immutable' (after-checkout, v4.4.0) failed on 127.0.0.1")
                .contains("[not run] restart sidekiq for v4.4.0");
        String resume = lineAfter(failed.stderr, "To resume (completed steps are safe to repeat): ");
        assertThat(resume).startsWith("flow upgrade ").contains("--app flow").contains("--tag v4.4.0");

        FLOW.ssh("root", "rm /var/tmp/flow-toolchain.fail");
        List<String> words = List.of(resume.split(" "));
        assertThat(words).as("a line without quoting, split on spaces").noneMatch(w -> w.contains("'"));
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(words.subList(1, words.size()));
        Run resumed = run(argv);

        assertThat(resumed.exitCode).as(resumed.stderr).isZero();
        assertThat(resumed.stdout + resumed.stderr).contains("Summary for 127.0.0.1: upgraded");
        assertThat(FLOW.ssh("flow", "git -C ~/live describe --tags").out()).isEqualTo("v4.4.0");
        assertThat(toolchainLog()).allMatch(l -> l.startsWith("flow /home/flow/live "));
    }

    /** The CLI in a child JVM inside the host's namespace, with the connection and GitHub options filled in. */
    private Run flow(String... args) throws Exception {
        TestHostInfo info = FLOW.info();
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(List.of(args));
        argv.addAll(List.of(
                "--app",
                "flow",
                "--host",
                info.sshHost(),
                "--port",
                Integer.toString(info.sshPort()),
                "--login",
                "root",
                "--as",
                "su",
                "--identity",
                info.clientKey().toString(),
                "--known-hosts",
                info.knownHosts().toString(),
                "--no-prompt",
                "--api-url",
                githubUrl,
                "--cache-dir",
                tmp.resolve("github-cache").toString(),
                "--git-url",
                info.upstream().hostPath().toString()));
        if (!argv.contains("--audit-log")) {
            argv.addAll(List.of(
                    "--audit-log",
                    tmp.resolve("audit-" + System.nanoTime() + ".jsonl").toString()));
        }
        return run(argv);
    }

    private Run run(List<String> argv) throws Exception {
        Process process = FLOW.start(argv.toArray(String[]::new));
        process.getOutputStream().close();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("flow finished in time")
                .isTrue();
        return new Run(process.exitValue(), stdout.get(), stderr.get());
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    /** curl against web's /health in a tight loop inside the namespace until {@code stop} exists; prints "ok failed". */
    private static Process healthLoop(Path stop) {
        return FLOW.start(
                "bash",
                "-c",
                "ok=0; failed=0; while [ ! -e \"$1\" ]; do"
                        + " if curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:3000/health; then ok=$((ok+1));"
                        + " else failed=$((failed+1)); fi; done; echo \"$ok $failed\"",
                "health-loop",
                stop.toString());
    }

    private static String finish(Process process) throws Exception {
        CompletableFuture<String> out = read(process.getInputStream());
        read(process.getErrorStream());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.get();
    }

    /** The stand-ins' lines for the release's tasks (bundle, yarn), in the order they ran. */
    private static List<String> toolchainLog() {
        return FLOW.ssh("root", "cat /var/tmp/flow-toolchain.log")
                .out()
                .lines()
                .filter(l -> l.contains(" bundle ") || l.contains(" yarn "))
                .toList();
    }

    private static String tagCommit(String tag) {
        return FLOW.info().tags().stream()
                .filter(t -> t.name().equals(tag))
                .findFirst()
                .orElseThrow()
                .commit();
    }

    private static long mainPid(String unit) {
        TestHost.Result pid = FLOW.ssh("root", "systemctl show " + unit + " -p MainPID --value");
        assertThat(pid.exitCode()).as(pid.stderr()).isZero();
        return Long.parseLong(pid.out());
    }

    private static List<String> steps(JsonNode result) {
        List<String> steps = new ArrayList<>();
        result.path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + "=" + s.path("status").asText()));
        return steps;
    }

    private static JsonNode service(JsonNode result, String name) {
        for (JsonNode s : result.path("services")) {
            if (s.path("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no service " + name + " in " + result.path("services"));
    }

    private static List<JsonNode> events(Path audit) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    /** The rest of the first line of {@code text} that contains {@code prefix}. */
    private static String lineAfter(String text, String prefix) {
        return text.lines()
                .filter(l -> l.contains(prefix))
                .map(l -> l.substring(l.indexOf(prefix) + prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + prefix + " in:\n" + text));
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                },
                runnable -> {
                    Thread t = new Thread(runnable, "flow-e2e-output");
                    t.setDaemon(true);
                    t.start();
                });
    }
}
