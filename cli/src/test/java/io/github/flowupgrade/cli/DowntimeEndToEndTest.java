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
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose notes say a rolling update from the running version is not supported, end to end on the Flow-shaped
 * test host: Flow's single hop v4.2.0 -> v4.4.0, where v4.4.0's notes (written for this test in the shape of
 * Mastodon 4.3.0's) say "Rolling updates from versions earlier than Flow 4.3 are not supported; either completely stop
 * Flow before updating it, or update to the latest v4.3 first". The plan goes through v4.3.1 first; without a v4.3
 * release to go through the run is refused; with the downtime allowed web, streaming and sidekiq are stopped, the
 * migrations run, the units come back healthy and the summary says how long the site was down; a migration that fails
 * while the site is down leaves it down, and the resume brings it back.
 */
@Tag("testhost")
class DowntimeEndToEndTest {
    @RegisterExtension
    static final TestHost FLOW = TestHost.forApp("flow");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    /** Every release of the host, v4.4.0's notes declaring the cut-off. */
    private static Server withCutOff;
    /** v4.2.0 and v4.4.0 alone: no v4.3 release to go through. */
    private static Server cutOffAlone;

    @TempDir
    Path tmp;

    private record Server(Process process, String url) {}

    @BeforeAll
    static void serveReleaseNotes() throws Exception {
        withCutOff = serve("testhost-flow-cutoff-releases");
        cutOffAlone = serve("testhost-flow-cutoff-alone");
    }

    private static Server serve(String notes) throws Exception {
        Process process = FLOW.start(
                JAVA,
                "-cp",
                CLASS_PATH,
                "io.github.flowupgrade.testing.FakeGitHubMain",
                FLOW.releaseRepo(),
                resource(notes).toString());
        String first =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as("FakeGitHubMain's first line").startsWith("FAKE_GITHUB_URL=http://127.0.0.1:");
        return new Server(process, first.substring("FAKE_GITHUB_URL=".length()));
    }

    @AfterAll
    static void stopServing() throws Exception {
        for (Server server : new Server[] {withCutOff, cutOffAlone}) {
            if (server != null) {
                server.process().getOutputStream().close();
                if (!server.process().waitFor(10, TimeUnit.SECONDS)) {
                    server.process().destroyForcibly();
                }
            }
        }
    }

    @BeforeEach
    void freshHost() throws Exception {
        FLOW.reset();
        TestHost.Result installed = FLOW.ssh(
                "root",
                Files.readString(FLOW.toolchainScript())
                        + "\n: > /var/tmp/flow-toolchain.log; rm -f /var/tmp/flow-toolchain.fail"
                        + " /var/tmp/flow-toolchain-*.version /var/tmp/flow-migrate.exit");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    /** The host is shared by every test of this JVM: its units up, v4.2.0, an empty database. */
    @AfterEach
    void leaveFresh() {
        FLOW.ssh("root", "rm -f /var/tmp/flow-migrate.exit");
        FLOW.reset();
    }

    @Test
    void theSingleHopAcrossTheCutOffGoesThroughTheLatestReleaseTheNotesRecommend() throws Exception {
        Run plan = flow(withCutOff, "upgrade", "--tag", "v4.4.0", "--plan-only", "--json");

        assertThat(plan.exitCode).as(plan.stderr).isZero();
        JsonNode result = JSON.readTree(plan.stdout).path("hosts").get(0);
        assertThat(result.path("hops").toString()).isEqualTo("[\"v4.3.1\",\"v4.4.0\"]");
        assertThat(result.path("downtime").isNull()).isTrue();
        assertThat(plan.stderr)
                .contains("v4.4.0's notes do not support a rolling update to 4.4.0 from 4.2.0: going through v4.3.1"
                        + " first, as they recommend (with --allow-downtime the upgrade would go straight on and stop"
                        + " the site for its migrations instead)");
        assertThat(steps(result)).contains("checkout v4.3.1=planned", "reload web for v4.4.0=planned");
    }

    @Test
    void withNoReleaseToGoThroughTheRunIsRefusedBeforeAnythingChangesUnlessTheDowntimeIsAllowed() throws Exception {
        long web = mainPid("flow-web");
        Run refused = flow(cutOffAlone, "upgrade", "--tag", "v4.4.0", "--confirm-manual", "--json");

        assertThat(refused.exitCode).as(refused.stderr).isEqualTo(3);
        assertThat(refused.stderr)
                .contains("a rolling upgrade of 127.0.0.1 is not supported by the release notes, and no release in"
                        + " the range can be the hop they recommend first:\n  v4.4.0: v4.4.0: a rolling update to"
                        + " 4.4.0 or later from before 4.3.0 is not supported (\"Rolling updates from versions earlier"
                        + " than Flow 4.3 are not supported\")")
                .contains("Nothing was changed. Upgrade with the site stopped for the migrations with"
                        + " --allow-downtime")
                .contains("[FAILED]  check rolling updates")
                .contains("[not run] pre-flight checks");
        assertThat(FLOW.ssh("flow", "git -C ~/live describe --tags").out()).isEqualTo("v4.2.0");
        assertThat(mainPid("flow-web")).isEqualTo(web);

        Run plan = flow(cutOffAlone, "upgrade", "--tag", "v4.4.0", "--plan-only", "--allow-downtime", "--json");
        assertThat(plan.exitCode).as(plan.stderr).isZero();
        assertThat(steps(JSON.readTree(plan.stdout).path("hosts").get(0)))
                .contains("stop the site for v4.4.0=planned", "start the site for v4.4.0=planned")
                .noneMatch(s -> s.startsWith("reload web"));
    }

    @Test
    void theDowntimeUpgradeStopsTheSiteMigratesOnceStartsItHealthyAndSaysHowLongItWasDown() throws Exception {
        long webBefore = mainPid("flow-web");
        long streamingBefore = mainPid("flow-streaming");
        Path stop = tmp.resolve("stop-health-loop");
        Process loop = healthLoop(stop);
        Path audit = tmp.resolve("downtime.jsonl");

        // Through the deploy user, whose sudo rules allow systemctl stop on the three units and nothing more.
        Run run = flow(
                withCutOff,
                "upgrade",
                "--tag",
                "v4.4.0",
                "--confirm-manual",
                "--allow-downtime",
                "--login",
                "deploy",
                "--as",
                "sudo",
                "--json",
                "--audit-log",
                audit.toString());

        Files.writeString(stop, "stop");
        String[] counts = finish(loop).strip().split(" ");
        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("upgraded");
        assertThat(result.path("hops").toString()).isEqualTo("[\"v4.4.0\"]");
        assertThat(FLOW.ssh("flow", "git -C ~/live describe --tags").out()).isEqualTo("v4.4.0");

        JsonNode downtime = result.path("downtime");
        assertThat(downtime.path("status").asText()).isEqualTo("restored");
        assertThat(downtime.path("hop").asText()).isEqualTo("v4.4.0");
        assertThat(downtime.path("units").toString()).isEqualTo("[\"flow-web\",\"flow-streaming\",\"flow-sidekiq\"]");
        long downMs = downtime.path("durationMs").asLong();
        assertThat(downMs).isPositive();
        assertThat(downtime.path("reason").asText())
                .contains("a rolling update to 4.4.0 or later from before 4.3.0 is not supported");
        String seconds = String.format(java.util.Locale.ROOT, "%.1f s", downMs / 1000.0);
        // The summary (on standard error with --json) says it.
        assertThat(run.stderr).contains("  the site was down for " + seconds + " (v4.4.0)");
        // The site really was down: requests failed meanwhile, and answered again afterwards.
        assertThat(Long.parseLong(counts[1]))
                .as("failed health requests (%s succeeded)", counts[0])
                .isPositive();
        assertThat(Long.parseLong(counts[0])).isPositive();
        assertThat(mainPid("flow-web")).isNotEqualTo(webBefore);
        assertThat(mainPid("flow-streaming")).isNotEqualTo(streamingBefore);

        // Streaming came back with the site: no separate approval, no second restart.
        assertThat(result.path("streaming").path("status").asText()).isEqualTo("restarted");
        assertThat(result.path("streaming").path("reason").asText())
                .startsWith("started with the site after v4.4.0's migrations");
        List<String> services = new ArrayList<>();
        result.path("services")
                .forEach(s -> services.add(
                        s.path("name").asText() + " " + s.path("result").asText()));
        assertThat(services)
                .containsExactly(
                        "flow-web stopped",
                        "flow-streaming stopped",
                        "flow-sidekiq stopped",
                        "flow-sidekiq restarted",
                        "flow-web restarted",
                        "flow-streaming restarted");

        // All migrations once, with the site down, without SKIP_POST_DEPLOYMENT_MIGRATIONS (Mastodon refuses it then).
        List<String> migrations = FLOW.ssh("root", "cat /var/tmp/flow-toolchain.log")
                .out()
                .lines()
                .filter(l -> l.contains("db:migrate"))
                .toList();
        assertThat(migrations)
                .containsExactly("flow /home/flow/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle"
                        + " exec rails db:migrate");
        assertThat(FLOW.ssh(
                                "root",
                                "runuser -u postgres -- psql -Atq -d flow_production -c \"SELECT version FROM"
                                        + " schema_migrations WHERE version = '20231101000000'\"")
                        .out())
                .as("the post-deployment migration ran too")
                .isEqualTo("20231101000000");
        assertThat(steps(result))
                .containsSubsequence(
                        "pre-flight checks=done",
                        "back up the database=done",
                        "checkout v4.4.0=done",
                        "pending migrations for v4.4.0=done",
                        "after-checkout tasks for v4.4.0=done",
                        "stop the site for v4.4.0=done",
                        "migrations for v4.4.0 (site down)=done",
                        "start the site for v4.4.0=done",
                        "streaming restart=done",
                        "unlock=done");
        List<String> types = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            types.add(JSON.readTree(line).path("type").asText());
        }
        assertThat(types).containsSubsequence("downtime.started", "task.started", "downtime.ended");
        System.out.printf(
                "downtime upgrade v4.2.0 -> v4.4.0: the site was down for %d ms (%s health requests"
                        + " answered, %s failed)%n",
                downMs, counts[0], counts[1]);
    }

    @Test
    void aMigrationThatFailsWhileTheSiteIsDownLeavesItDownAndTheResumeBringsItBack() throws Exception {
        FLOW.ssh("root", "echo 7 > /var/tmp/flow-migrate.exit");
        Run failed = flow(withCutOff, "upgrade", "--tag", "v4.4.0", "--confirm-manual", "--allow-downtime", "--json");

        assertThat(failed.exitCode).as(failed.stderr).isEqualTo(4);
        assertThat(failed.stderr)
                .contains("upgrade task 'bundle exec rails db:migrate' (after-restart, v4.4.0) failed on 127.0.0.1")
                .contains("the site is DOWN: flow-web, flow-streaming, flow-sidekiq left stopped")
                .contains("it stays stopped, because neither the new code on a half-migrated schema nor the old code"
                        + " on a migrated one may serve")
                .contains("[FAILED]  migrations for v4.4.0 (site down)")
                .contains("[not run] start the site for v4.4.0");
        JsonNode result = JSON.readTree(failed.stdout).path("hosts").get(0);
        assertThat(result.path("downtime").path("status").asText()).isEqualTo("left stopped");
        assertThat(FLOW.ssh("root", "systemctl is-active flow-web flow-streaming flow-sidekiq")
                        .out())
                .isEqualTo("inactive\ninactive\ninactive");
        assertThat(FLOW.ssh("root", "test -e /home/flow/.flow-upgrade/lock && echo held || echo free")
                        .out())
                .isEqualTo("free");

        FLOW.ssh("root", "rm /var/tmp/flow-migrate.exit");
        String resume = failed.stderr
                .lines()
                .filter(l -> l.contains("To resume (completed steps are safe to repeat): "))
                .findFirst()
                .orElseThrow();
        assertThat(resume).contains("--allow-downtime").contains("--from v4.2.0");
        Run resumed = flow(
                withCutOff, "upgrade", "--tag", "v4.4.0", "--from", "v4.2.0", "--confirm-manual", "--allow-downtime");
        assertThat(resumed.exitCode).as(resumed.stderr).isZero();
        assertThat(resumed.stdout + resumed.stderr).contains("the site was down for ");
        assertThat(FLOW.ssh("root", "systemctl is-active flow-web flow-streaming flow-sidekiq")
                        .out())
                .isEqualTo("active\nactive\nactive");
    }

    private static List<String> steps(JsonNode result) {
        List<String> steps = new ArrayList<>();
        result.path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + "=" + s.path("status").asText()));
        return steps;
    }

    /** The CLI in a child JVM inside the host's namespace, with the connection options and a GitHub double. */
    private Run flow(Server github, String... args) throws Exception {
        TestHostInfo info = FLOW.info();
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--app", "flow", "--host", info.sshHost(), "--port", Integer.toString(info.sshPort())));
        if (!argv.contains("--login")) {
            argv.addAll(List.of("--login", "root", "--as", "su"));
        }
        argv.addAll(List.of(
                "--identity",
                info.clientKey().toString(),
                "--known-hosts",
                info.knownHosts().toString(),
                "--no-prompt",
                "--api-url",
                github.url(),
                "--cache-dir",
                tmp.resolve("github-cache").toString(),
                "--git-url",
                info.upstream().hostPath().toString()));
        if (!argv.contains("--audit-log")) {
            argv.addAll(List.of(
                    "--audit-log",
                    tmp.resolve("audit-" + System.nanoTime() + ".jsonl").toString()));
        }
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
                        + " else failed=$((failed+1)); sleep 0.05; fi; done; echo \"$ok $failed\"",
                "health-loop",
                stop.toString());
    }

    private static String finish(Process process) throws Exception {
        CompletableFuture<String> out = read(process.getInputStream());
        read(process.getErrorStream());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.get();
    }

    private static long mainPid(String unit) {
        TestHost.Result pid = FLOW.ssh("root", "systemctl show " + unit + " -p MainPID --value");
        assertThat(pid.exitCode()).as(pid.stderr()).isZero();
        return Long.parseLong(pid.out());
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(
                DowntimeEndToEndTest.class.getClassLoader().getResource(name).toURI());
    }
}
