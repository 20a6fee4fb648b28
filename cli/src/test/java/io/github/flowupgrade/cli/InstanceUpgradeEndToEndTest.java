package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.PortForward;
import io.github.flowupgrade.testing.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flow upgrade --instance} end to end on three real test hosts that form one instance: they share one
 * PostgreSQL (the first host's, reached by the others through its socket in a directory mounted into all three) and
 * one task log in that directory, where each host's stand-in for {@code rails db:migrate} writes. Every host runs web;
 * the first also runs the migrations, the second sidekiq, the third streaming. The CLI runs in this JVM and reaches
 * each host's sshd through its own loopback port ({@link PortForward}), so each host is {@code 127.0.0.1:PORT} in the
 * instance description, with its own pinned host key.
 */
@Tag("testhost")
class InstanceUpgradeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRE = "SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate";
    private static final String POST = "SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle exec rails db:migrate";

    @RegisterExtension
    static final TestHost MIGRATES = TestHost.instanceMember("i1", null);

    @RegisterExtension
    static final TestHost SIDEKIQ = TestHost.instanceMember("i2", MIGRATES);

    @RegisterExtension
    static final TestHost STREAMING = TestHost.instanceMember("i3", MIGRATES);

    private static final List<TestHost> HOSTS = List.of(MIGRATES, SIDEKIQ, STREAMING);
    private static final List<PortForward> FORWARDS = new ArrayList<>();
    /** Each host's label in the description ({@code 127.0.0.1:PORT}), in the order of {@link #HOSTS}. */
    private static final List<String> LABELS = new ArrayList<>();

    private static FakeGitHub github;

    @TempDir
    Path tmp;

    private Path description;

    @BeforeAll
    static void connect() throws Exception {
        github = FakeGitHub.start(
                "mastodon/mastodon",
                FakeGitHubMain.releases(Path.of(InstanceUpgradeEndToEndTest.class
                        .getClassLoader()
                        .getResource("testhost-releases")
                        .toURI())));
        // One deploy key for the whole instance, as a pipeline has one credential: the first host's.
        String key = Files.readString(Path.of(MIGRATES.info().clientKey() + ".pub"));
        for (TestHost host : HOSTS) {
            TestHost.Result authorized =
                    host.ssh("root", "printf '%s\\n' '" + key.strip() + "' >> /root/.ssh/authorized_keys");
            assertThat(authorized.exitCode()).as(authorized.stderr()).isZero();
            PortForward forward = host.forward(host.info().sshPort());
            FORWARDS.add(forward);
            LABELS.add("127.0.0.1:" + forward.port());
        }
    }

    @AfterAll
    static void disconnect() {
        FORWARDS.forEach(PortForward::close);
        if (github != null) {
            github.close();
        }
        // The instance's hosts go now, not with the JVM: the other test hosts need the machine too.
        for (int i = HOSTS.size() - 1; i >= 0; i--) {
            HOSTS.get(i).down();
        }
    }

    @BeforeEach
    void freshInstance() throws Exception {
        String toolchain = Files.readString(Path.of(
                getClass().getClassLoader().getResource("testhost-toolchain.sh").toURI()));
        for (TestHost host : HOSTS) {
            host.reset(); // the first host's reset empties the shared database and the shared task log
            TestHost.Result installed = host.ssh(
                    "root",
                    toolchain + "\n: > /var/tmp/flow-toolchain.log; rm -f"
                            + " /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf;"
                            + " systemctl daemon-reload");
            assertThat(installed.exitCode()).as(installed.stderr()).isZero();
        }
        description = tmp.resolve("instance.json");
        Files.writeString(description, describe());
    }

    /** Web on all three, in order; migrations on the first, sidekiq on the second, streaming on the third. */
    private static String describe() {
        String[] roles = {"[\"web\"]", "[\"web\", \"sidekiq\"]", "[\"web\", \"streaming\"]"};
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < HOSTS.size(); i++) {
            hosts.add("{\"host\": \"127.0.0.1\", \"port\": " + FORWARDS.get(i).port() + ", \"hostKey\": \""
                    + HOSTS.get(i).info().hostKeyFingerprint() + "\", \"roles\": " + roles[i] + "}");
        }
        return "{\"name\": \"social.test\", \"migrationHost\": \"" + LABELS.get(0) + "\", \"hosts\": [\n  "
                + String.join(",\n  ", hosts) + "]}\n";
    }

    @Test
    void migratesOnceReloadsWebOneHostAfterTheOtherWithoutAFailedRequestAndRestartsOnlyWhatEachHostRuns()
            throws Exception {
        Map<TestHost, Long> sidekiq = pids("mastodon-sidekiq");
        Map<TestHost, Long> streaming = pids("mastodon-streaming");
        List<Process> loops = new ArrayList<>();
        Path stop = tmp.resolve("stop-health-loops");
        for (TestHost host : HOSTS) {
            loops.add(healthLoop(host, stop));
        }
        Path audit = tmp.resolve("audit.jsonl");

        Run run = flow("--approved-by", "Alice Admin", "--json", "--audit-log", audit.toString());

        Files.writeString(stop, "stop");
        assertThat(run.code).as(run.err).isZero();
        for (int i = 0; i < HOSTS.size(); i++) {
            String[] counts = finish(loops.get(i)).strip().split(" ");
            assertThat(Long.parseLong(counts[1]))
                    .as("failed health requests on %s (%s answered)", LABELS.get(i), counts[0])
                    .isZero();
            assertThat(Long.parseLong(counts[0]))
                    .as("health requests on %s", LABELS.get(i))
                    .isGreaterThan(5);
        }
        JsonNode result = JSON.readTree(run.out);
        assertThat(result.path("status").asText()).isEqualTo("upgraded");
        String v431 = MIGRATES.info().tags().stream()
                .filter(t -> t.name().equals("v4.3.1"))
                .findFirst()
                .orElseThrow()
                .commit();
        for (TestHost host : HOSTS) {
            assertThat(host.ssh("mastodon", "git -C ~/live rev-parse HEAD").out())
                    .isEqualTo(v431);
            assertThat(generation(host))
                    .as("web reloads on %s", host.info().name())
                    .isEqualTo(1);
        }

        // The migrations ran once per phase, on the migration host, against the instance's one database.
        List<String> tasks = sharedTaskLog();
        assertThat(tasks.stream().filter(l -> l.endsWith(PRE)))
                .containsExactly(
                        MIGRATES.info().machine() + " mastodon /home/mastodon/live RAILS_ENV=production " + PRE);
        assertThat(tasks.stream().filter(l -> l.endsWith(POST)))
                .containsExactly(
                        MIGRATES.info().machine() + " mastodon /home/mastodon/live RAILS_ENV=production " + POST);
        for (TestHost host : HOSTS) {
            assertThat(tasks)
                    .as("dependencies on every host")
                    .anyMatch(l -> l.startsWith(host.info().machine()) && l.endsWith(" bundle install"));
        }
        TestHost.Result schema = SIDEKIQ.ssh(
                "mastodon",
                "psql -h /srv/flow-shared -d mastodon_production -Atc 'SELECT count(*) FROM schema_migrations'");
        assertThat(schema.out()).as(schema.stderr()).isNotEqualTo("0").matches("\\d+");

        // Web one host after the other: each reload is healthy before the next host's starts; the post-deployment
        // migrations come after the last.
        List<JsonNode> events = events(audit);
        int previousHealthy = -1;
        for (String label : LABELS) {
            int reload = indexOf(events, label, "command", "systemctl reload mastodon-web");
            int healthy = indexOf(events, label, "service.health", "mastodon-web");
            assertThat(reload)
                    .as("reload on %s after the previous host was healthy", label)
                    .isGreaterThan(previousHealthy);
            assertThat(healthy).isGreaterThan(reload);
            previousHealthy = healthy;
        }
        assertThat(indexOf(events, LABELS.get(0), "task.started", "\"phase\":\"after-restart\""))
                .isGreaterThan(previousHealthy);

        // Sidekiq only where it runs, streaming only where it runs, behind one approval.
        assertThat(pids("mastodon-sidekiq")).satisfies(now -> {
            assertThat(now.get(MIGRATES)).isEqualTo(sidekiq.get(MIGRATES));
            assertThat(now.get(SIDEKIQ)).isNotEqualTo(sidekiq.get(SIDEKIQ));
            assertThat(now.get(STREAMING)).isEqualTo(sidekiq.get(STREAMING));
        });
        assertThat(pids("mastodon-streaming")).satisfies(now -> {
            assertThat(now.get(MIGRATES)).isEqualTo(streaming.get(MIGRATES));
            assertThat(now.get(SIDEKIQ)).isEqualTo(streaming.get(SIDEKIQ));
            assertThat(now.get(STREAMING)).isNotEqualTo(streaming.get(STREAMING));
        });
        assertThat(result.path("streaming").path("approvedBy").asText()).isEqualTo("Alice Admin");
        assertThat(result.path("streaming").path("restarted").asBoolean()).isTrue();
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("approval.granted")))
                .hasSize(1)
                .allMatch(e -> e.path("fields").path("host").asText().equals(LABELS.get(2)));

        // Every host was checked before it changed, and the migrations were read before they ran, on the migration
        // host only.
        for (int i = 0; i < HOSTS.size(); i++) {
            JsonNode host = result.path("hosts").get(i);
            assertThat(host.path("host").asText()).isEqualTo(LABELS.get(i));
            assertThat(host.path("preflight").path("status").asText())
                    .as("pre-flight on %s", LABELS.get(i))
                    .isEqualTo("pass");
            assertThat(host.path("pendingMigrations").size()).isEqualTo(i == 0 ? 1 : 0);
        }
        assertThat(result.path("hosts")
                        .get(0)
                        .path("pendingMigrations")
                        .get(0)
                        .path("pending")
                        .size())
                .isPositive();
        assertThat(indexOf(events, LABELS.get(0), "migrations.pending", "v4.3.1"))
                .isLessThan(indexOf(events, LABELS.get(0), "task.started", "SKIP_POST_DEPLOYMENT_MIGRATIONS=true"));

        // The audit trail says which host did what, and is intact; every lock is gone.
        assertThat(events.stream()
                        .filter(e -> e.path("type").asText().equals("instance.step"))
                        .map(e -> e.path("fields").path("step").asText() + " on "
                                + e.path("fields").path("host").asText()))
                .contains(
                        "pre-flight checks on " + LABELS.get(0),
                        "pre-flight checks on " + LABELS.get(1),
                        "pre-flight checks on " + LABELS.get(2),
                        "pending migrations for v4.3.1 on " + LABELS.get(0),
                        "back up the database on " + LABELS.get(0),
                        "pre-deployment migrations for v4.3.1 on " + LABELS.get(0),
                        "restart sidekiq for v4.3.1 on " + LABELS.get(1),
                        "reload web for v4.3.1 on " + LABELS.get(2),
                        "post-deployment migrations for v4.3.1 on " + LABELS.get(0),
                        "streaming restart on " + LABELS.get(2));
        assertThat(FlowCommand.execute(
                        new String[] {"audit", "verify", audit.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter())))
                .isZero();
        for (TestHost host : HOSTS) {
            assertThat(host.ssh("mastodon", "test -e ~/.flow-upgrade/lock").exitCode())
                    .isEqualTo(1);
        }
        System.out.printf(
                "instance upgrade of 3 hosts v4.2.0 -> v4.3.1: %d ms in the CLI; pre-deployment migrations ran %d"
                        + " time(s), post-deployment %d%n",
                run.millis,
                tasks.stream().filter(l -> l.endsWith(PRE)).count(),
                tasks.stream().filter(l -> l.endsWith(POST)).count());
    }

    @Test
    void aSecondWebHostThatStaysUnhealthyStopsTheRunLeavesTheThirdUntouchedAndTheResumeLineAsPrintedFinishesIt()
            throws Exception {
        // The second host's web dies on reload and is not restarted: its health check fails.
        TestHost.Result broken = SIDEKIQ.ssh(
                "root",
                "mkdir -p /run/systemd/system/mastodon-web.service.d && printf '%s\\n' '[Service]' 'ExecReload='"
                        + " 'ExecReload=/bin/kill -TERM $MAINPID' 'Restart=no'"
                        + " > /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf"
                        + " && systemctl daemon-reload");
        assertThat(broken.exitCode()).as(broken.stderr()).isZero();
        long streamingBefore = pids("mastodon-streaming").get(STREAMING);
        Run failed;
        try {
            failed = flow("--approved-by", "Alice Admin", "--health-timeout", "5", "--json");
        } finally {
            SIDEKIQ.ssh(
                    "root",
                    "rm -f /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf; systemctl"
                            + " daemon-reload; systemctl reset-failed mastodon-web; systemctl start mastodon-web");
        }

        assertThat(failed.code).as(failed.err).isEqualTo(4);
        JsonNode result = JSON.readTree(failed.out);
        JsonNode stopped = result.path("stoppedAt");
        assertThat(stopped.path("name").asText()).isEqualTo("reload web for v4.3.1");
        assertThat(stopped.path("host").asText()).isEqualTo(LABELS.get(1));
        assertThat(failed.err)
                .contains("Stopped at: reload web for v4.3.1 on " + LABELS.get(1) + ". Web was not touched on "
                        + LABELS.get(2) + ": it still serves the old code there.")
                .contains("Not reached: reload web for v4.3.1 on " + LABELS.get(2)
                        + "; post-deployment migrations for v4.3.1 on " + LABELS.get(0));
        // The third host's web still runs the process it had (no reload), streaming was not restarted, the
        // post-deployment migrations did not run, and no lock is left behind.
        assertThat(generation(MIGRATES)).isEqualTo(1);
        assertThat(generation(STREAMING)).isZero();
        assertThat(pids("mastodon-streaming").get(STREAMING)).isEqualTo(streamingBefore);
        assertThat(sharedTaskLog())
                .noneMatch(l -> l.endsWith(POST))
                .filteredOn(l -> l.endsWith(PRE))
                .hasSize(1);
        for (TestHost host : HOSTS) {
            assertThat(host.ssh("mastodon", "test -e ~/.flow-upgrade/lock").exitCode())
                    .isEqualTo(1);
        }
        assertThat(result.path("hosts").get(1).path("status").asText()).isEqualTo("failed");
        assertThat(result.path("hosts").get(2).path("status").asText()).isEqualTo("not finished");

        // The line as a user would paste it: nothing added.
        String resume = lineAfter(failed.err, "To resume instance social.test (completed steps are safe to repeat): ");
        assertThat(resume).contains("--instance " + description).contains("--from v4.2.0");
        List<String> words = shellWords(resume);
        assertThat(words.subList(0, 2)).containsExactly("flow", "upgrade");
        long started = System.nanoTime();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                words.subList(1, words.size()).toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        // --json, repeated from the first run: the result on standard output, the progress on standard error.
        assertThat(JSON.readTree(out.toString()).path("status").asText()).isEqualTo("upgraded");
        assertThat(err.toString()).contains("Summary for instance social.test: upgraded");
        assertThat(generation(STREAMING)).isEqualTo(1);
        assertThat(pids("mastodon-streaming").get(STREAMING)).isNotEqualTo(streamingBefore);
        assertThat(sharedTaskLog()).filteredOn(l -> l.endsWith(POST)).hasSize(1);
        System.out.printf(
                "instance resume after a failed web host: %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void withoutAnApprovalStreamingStaysPendingAndThePrintedLineRestartsOnlyStreaming() throws Exception {
        long streamingBefore = pids("mastodon-streaming").get(STREAMING);

        Run run = flow("--no-prompt", "--json");

        assertThat(run.code).as(run.err).isZero();
        JsonNode result = JSON.readTree(run.out);
        assertThat(result.path("status").asText()).isEqualTo("pending approval");
        assertThat(result.path("streaming").path("restarted").asBoolean()).isFalse();
        assertThat(pids("mastodon-streaming").get(STREAMING)).isEqualTo(streamingBefore);
        List<String> pending = new ArrayList<>();
        result.path("steps").forEach(step -> {
            if (step.path("status").asText().equals("pending approval")) {
                pending.add(step.path("name").asText() + " " + step.path("host").asText());
            }
        });
        assertThat(pending).containsExactly("approve streaming restart null", "streaming restart " + LABELS.get(2));
        Map<TestHost, Long> sidekiq = pids("mastodon-sidekiq");

        // The line as printed, with the approver's name for NAME.
        String line = lineAfter(run.err, "Once the streaming restart of instance social.test is approved, run: ");
        List<String> words = shellWords(line.replace("--approved-by NAME", "--approved-by 'Bob Ops'"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(
                words.subList(1, words.size()).toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        JsonNode approved = JSON.readTree(out.toString());
        assertThat(approved.path("status").asText()).isEqualTo("upgraded");
        assertThat(approved.path("hops")).isEmpty();
        assertThat(approved.path("streaming").path("approvedBy").asText()).isEqualTo("Bob Ops");
        assertThat(pids("mastodon-streaming").get(STREAMING)).isNotEqualTo(streamingBefore);
        // Nothing else was touched: no reload, no sidekiq restart, no migration.
        for (TestHost host : HOSTS) {
            assertThat(generation(host))
                    .as("web reloads on %s", host.info().name())
                    .isEqualTo(1);
        }
        assertThat(pids("mastodon-sidekiq")).isEqualTo(sidekiq);
        assertThat(sharedTaskLog())
                .filteredOn(l -> l.endsWith(PRE) || l.endsWith(POST))
                .hasSize(2);
    }

    @Test
    void aHostThatFailsAPreflightCheckRefusesTheInstanceBeforeAnyHostChanges() throws Exception {
        STREAMING.ssh("mastodon", "sed -i '/^ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=/d' ~/live/.env.production");
        Map<TestHost, String> heads = new LinkedHashMap<>();
        for (TestHost host : HOSTS) {
            heads.put(host, host.ssh("mastodon", "git -C ~/live rev-parse HEAD").out());
        }

        // The plan shows it first: every host's table, the migrations the target would run, the refusal.
        Run plan = flow("--plan-only", "--json");
        assertThat(plan.code).as(plan.err).isEqualTo(3);
        JsonNode planned = JSON.readTree(plan.out);
        assertThat(planned.path("status").asText()).isEqualTo("refused");
        assertThat(planned.path("error").asText())
                .startsWith(LABELS.get(2) + ": ")
                .contains("ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY");
        assertThat(planned.path("hosts").get(0).path("preflight").path("status").asText())
                .isEqualTo("pass");
        assertThat(planned.path("hosts").get(2).path("preflight").path("status").asText())
                .isEqualTo("fail");
        assertThat(planned.path("hosts")
                        .get(0)
                        .path("pendingMigrations")
                        .get(0)
                        .path("pending")
                        .size())
                .isPositive();

        Run run = flow("--json");

        assertThat(run.code).as(run.err).isEqualTo(3);
        assertThat(run.err).contains("config: .env.production lacks 1 setting(s)");
        JsonNode result = JSON.readTree(run.out);
        assertThat(result.path("stoppedAt").path("name").asText()).isEqualTo("pre-flight checks");
        assertThat(result.path("stoppedAt").path("host").asText()).isEqualTo(LABELS.get(2));
        // Nothing changed anywhere: no checkout, no task, no backup, and every lock given back.
        for (TestHost host : HOSTS) {
            assertThat(host.ssh("mastodon", "git -C ~/live rev-parse HEAD").out())
                    .isEqualTo(heads.get(host));
            assertThat(host.ssh("mastodon", "test -e ~/.flow-upgrade/lock").exitCode())
                    .isEqualTo(1);
            assertThat(host.ssh("root", "ls /home/mastodon/.flow-upgrade/backups 2>/dev/null | wc -l")
                            .out())
                    .isEqualTo("0");
        }
        assertThat(sharedTaskLog()).noneMatch(l -> l.endsWith(" bundle install") || l.contains("db:migrate"));
    }

    private record Run(int code, String out, String err, long millis) {}

    /** {@code flow upgrade --instance} from v4.2.0 to v4.3.1, in this JVM, with {@code more} options. */
    private Run flow(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "upgrade",
                "--instance",
                description.toString(),
                "--login",
                "root",
                "--identity",
                MIGRATES.info().clientKey().toString(),
                "--tag",
                "v4.3.1",
                "--confirm-manual",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.resolve("github-cache").toString(),
                "--git-url",
                MIGRATES.info().upstream().hostPath().toString()));
        args.addAll(List.of(more));
        if (!args.contains("--audit-log")) {
            // In the test's directory, not the working directory (the lines a run prints repeat it).
            args.addAll(List.of(
                    "--audit-log",
                    tmp.resolve("audit-" + System.nanoTime() + ".jsonl").toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long started = System.nanoTime();
        int code = FlowCommand.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString(), (System.nanoTime() - started) / 1_000_000);
    }

    private static List<String> sharedTaskLog() throws IOException {
        Path log = MIGRATES.info().sharedDirOnMachine().resolve("tasks.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private static Map<TestHost, Long> pids(String unit) {
        Map<TestHost, Long> pids = new LinkedHashMap<>();
        for (TestHost host : HOSTS) {
            TestHost.Result pid = host.ssh("root", "systemctl show " + unit + " -p MainPID --value");
            assertThat(pid.exitCode()).as(pid.stderr()).isZero();
            pids.put(host, Long.parseLong(pid.out()));
        }
        return pids;
    }

    /** How many times web was reloaded since it started ({@code X-Generation} of the test host's web). */
    private static int generation(TestHost host) {
        TestHost.Result head = host.exec("curl", "-fsS", "-o", "/dev/null", "-D", "-", "http://127.0.0.1:3000/health");
        assertThat(head.exitCode()).as(head.stderr()).isZero();
        return Integer.parseInt(lineAfter(head.stdout(), "X-Generation: ").strip());
    }

    /** Requests /health on the host's web until {@code stop} exists; prints "answered failed". */
    private static Process healthLoop(TestHost host, Path stop) {
        // A short pause between requests: three loops and three hosts share the machine with the run itself.
        return host.start(
                "bash",
                "-c",
                "ok=0; failed=0; while [ ! -e \"$1\" ]; do"
                        + " if curl -fsS --max-time 5 -o /dev/null http://127.0.0.1:3000/health; then ok=$((ok+1));"
                        + " else failed=$((failed+1)); fi; sleep 0.05; done; echo \"$ok $failed\"",
                "health-loop",
                stop.toString());
    }

    private static int indexOf(List<JsonNode> events, String host, String type, String text) {
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            JsonNode fields = e.path("fields");
            if (e.path("type").asText().equals(type)
                    && fields.path("host").asText().equals(host)
                    && fields.toString().contains(text)
                    && !(type.equals("service.health")
                            && !fields.path("healthy").asBoolean())) {
                return i;
            }
        }
        throw new AssertionError("no " + type + " with " + text + " on " + host);
    }

    private static List<JsonNode> events(Path audit) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static String lineAfter(String text, String prefix) {
        return text.lines()
                .filter(l -> l.contains(prefix))
                .map(l -> l.substring(l.indexOf(prefix) + prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + prefix + " in:\n" + text));
    }

    /** Splits a command line as the shell would ({@code '...'} quoting and backslashes, as {@code Shell} writes). */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '\\') {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String finish(Process process) throws Exception {
        CompletableFuture<String> out = read(process.getInputStream());
        read(process.getErrorStream());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.get();
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
                    Thread t = new Thread(runnable, "instance-e2e-output");
                    t.setDaemon(true);
                    t.start();
                });
    }
}
