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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pre-flight checks and the pending-migrations preview of {@code flow upgrade} on the test host, v4.2.0 to v4.3.1:
 * each check made to fail through the toolchain stand-ins (too little memory and disk for the thresholds given, the
 * release's Ruby missing from rbenv, no corepack, an encryption secret missing from {@code .env.production}) refuses
 * the run with exit 3 before anything changes; a named check only warns; the missing Ruby is installed when allowed;
 * the migrations the release will run are shown by the plan and before migrating.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
class PreflightEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");
    /** Values of the test host's .env.production: only the names of its settings may ever leave the host. */
    private static final List<String> SECRETS =
            List.of("testhost-db-secret-7c4a1e", "testhost-primary-key-f17e94", "testhost-derivation-salt-b60c2a");

    private static Process github;
    private static String githubUrl;

    @TempDir
    Path tmp;

    private TestHost host;

    @BeforeAll
    static void serveReleaseNotes(TestHost host) throws Exception {
        github = host.start(
                JAVA,
                "-cp",
                CLASS_PATH,
                "io.github.flowupgrade.testing.FakeGitHubMain",
                "mastodon/mastodon",
                resource("testhost-releases").toString());
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(github.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
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
    void freshHost(TestHost testHost) throws Exception {
        this.host = testHost;
        host.reset();
        TestHost.Result installed = host.ssh(
                "root",
                Files.readString(resource("testhost-toolchain.sh"))
                        + "\n: > /var/tmp/flow-toolchain.log; rm -f /var/tmp/flow-toolchain-*.version"
                        + " /var/tmp/flow-toolchain.fail");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    /** The host is shared by every test of this JVM: leave it as the others expect it, toolchain included. */
    @AfterEach
    void leaveFresh() throws Exception {
        host.reset();
        host.ssh("root", Files.readString(resource("testhost-toolchain.sh")));
    }

    @Test
    void eachFailingCheckRefusesTheRunWithExit3BeforeAnythingChanges() throws Exception {
        String before = head();
        long sidekiq = mainPid("mastodon-sidekiq");

        Run memory = refused("memory", "--assets-memory", "16777216");
        assertThat(memory.stderr)
                .containsPattern("memory: only \\d+ MiB free \\(MemAvailable \\d+ \\+ SwapFree \\d+ MiB\\);"
                        + " assets:precompile of v4.3.1 wants 16777216 MiB \\(--assets-memory\\)")
                .contains("--preflight-warn memory");

        Run disk = refused("disk", "--min-free-disk", "16777216");
        assertThat(disk.stderr).contains("(holds /home/mastodon/live); wants 16777216 MiB (--min-free-disk)");

        host.ssh("mastodon", "rm -r ~/.rbenv/versions/3.3.6");
        Run ruby = refused("ruby");
        assertThat(ruby.stderr)
                .contains("ruby: Ruby 3.3.6 (.ruby-version of v4.3.1) not installed for mastodon (rbenv has 3.2.3)")
                .contains("--allow-toolchain-install")
                .contains("git -C /home/mastodon/.rbenv/plugins/ruby-build pull");
        host.ssh("mastodon", "mkdir ~/.rbenv/versions/3.3.6");

        // Node.js 25 ships no corepack: the yarn on the path is a plain Yarn 1.
        host.ssh(
                "root",
                "echo v25.1.0 > /var/tmp/flow-toolchain-node.version; rm /usr/local/bin/corepack /usr/local/bin/yarn;"
                        + " printf '#!/bin/sh\\necho 1.22.22\\n' > /usr/local/bin/yarn; chmod 755 /usr/local/bin/yarn");
        Run node = refused("node");
        assertThat(node.stderr)
                .contains("node: v4.3.1 uses yarn@4.5.1, which needs corepack, and there is none with node v25.1.0"
                        + " (Node.js 25 and later ship none)");
        host.ssh(
                "root",
                Files.readString(resource("testhost-toolchain.sh")) + "\nrm /var/tmp/flow-toolchain-node.version");

        host.ssh("mastodon", "sed -i '/^ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=/d' ~/live/.env.production");
        Run config = refused("config");
        assertThat(config.stderr)
                .contains("config: .env.production lacks 1 setting(s) the .env.production.sample of v4.3.1 requires:"
                        + " ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY (names only");

        // Nothing changed on the host through all of it.
        assertThat(head()).isEqualTo(before);
        assertThat(mainPid("mastodon-sidekiq")).isEqualTo(sidekiq);
        assertThat(host.ssh("root", "grep -cE ' (bundle|yarn) ' /var/tmp/flow-toolchain.log || true")
                        .out())
                .isEqualTo("0");
        assertThat(host.ssh("root", "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free")
                        .out())
                .isEqualTo("free");
        assertThat(host.ssh("root", "ls /home/mastodon/.flow-upgrade/backups 2>/dev/null | wc -l")
                        .out())
                .as("no backup taken: the checks come first")
                .isEqualTo("0");
    }

    @Test
    void aCheckNamedToOnlyWarnLetsTheUpgradeGoOn() throws Exception {
        host.ssh("mastodon", "sed -i '/^ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY=/d' ~/live/.env.production");
        Path audit = tmp.resolve("warned.jsonl");
        Run run = flow(
                "upgrade",
                "--tag",
                "v4.3.1",
                "--confirm-manual",
                "--preflight-warn",
                "config",
                "--json",
                "--audit-log",
                audit.toString());

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("pending approval");
        JsonNode config = check(result, "config");
        assertThat(config.path("status").asText()).isEqualTo("warn");
        assertThat(config.path("detail").asText())
                .contains("ACTIVE_RECORD_ENCRYPTION_PRIMARY_KEY")
                .endsWith("(a failure, made a warning by --preflight-warn config)");
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isEqualTo("v4.3.1");
        assertNoSecret(run, audit);
    }

    @Test
    void aMissingRubyIsInstalledWithRbenvBeforeAnythingElseWhenAllowed() throws Exception {
        host.ssh("mastodon", "rm -r ~/.rbenv/versions/3.3.6");
        Run run = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--allow-toolchain-install", "--json");

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(check(result, "ruby").path("status").asText()).isEqualTo("warn");
        assertThat(check(result, "ruby").path("detail").asText())
                .contains("planned, before anything else changes: update ruby-build, then rbenv install 3.3.6");
        List<String> steps = new ArrayList<>();
        result.path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + "=" + s.path("status").asText()));
        assertThat(steps)
                .containsSubsequence(
                        "pre-flight checks=done",
                        "install Ruby 3.3.6=done",
                        "back up the database=done",
                        "checkout v4.3.1=done");
        assertThat(result.path("tasks").get(0).path("phase").asText()).isEqualTo("toolchain");
        assertThat(result.path("tasks").get(0).path("command").asText()).isEqualTo("rbenv install 3.3.6");
        // ruby-build was updated from its upstream (git pull), then the version installed, as mastodon in ~/live.
        assertThat(run.stdout + run.stderr).contains("Already up to date.");
        assertThat(host.ssh("root", "grep ' rbenv install' /var/tmp/flow-toolchain.log")
                        .out())
                .isEqualTo("mastodon /home/mastodon/live RAILS_ENV= SKIP_POST_DEPLOYMENT_MIGRATIONS= rbenv install"
                        + " --skip-existing 3.3.6");
        assertThat(host.ssh("mastodon", "test -d ~/.rbenv/versions/3.3.6 && echo installed")
                        .out())
                .isEqualTo("installed");
    }

    @Test
    void thePlanShowsThePendingMigrationsAndTheUpgradeShowsThemAgainBeforeMigrating() throws Exception {
        Path planAudit = tmp.resolve("plan.jsonl");
        Run plan = flow("upgrade", "--tag", "v4.3.1", "--plan-only", "--json", "--audit-log", planAudit.toString());

        assertThat(plan.exitCode).as(plan.stderr).isZero();
        JsonNode planned = JSON.readTree(plan.stdout).path("hosts").get(0);
        assertThat(planned.path("preflight").path("status").asText()).isEqualTo("pass");
        assertThat(planned.path("preflight").path("checks")).hasSize(5);
        JsonNode preview = planned.path("pendingMigrations").get(0);
        assertThat(preview.path("revision").asText()).isEqualTo("v4.3.1");
        List<String> pending = new ArrayList<>();
        preview.path("pending")
                .forEach(m -> pending.add(m.path("version").asText() + " "
                        + m.path("name").asText() + (m.path("postDeployment").asBoolean() ? " (post)" : "")));
        // The test host's database has never migrated: every migration of v4.3.1 is pending.
        assertThat(pending)
                .containsExactly(
                        "20230901000000 create_statuses",
                        "20230901000001 drop_legacy_columns (post)",
                        "20231001000000 add_language_to_statuses",
                        "20231015000000 add_index_on_statuses_language",
                        "20231101000000 remove_legacy_language_column (post)");
        assertThat(plan.stdout + plan.stderr)
                .contains("migrations v4.3.1 will run: 5 pending (2 post-deployment); 0 applied already");
        assertThat(types(planAudit)).contains("preflight.checked", "migrations.pending");
        assertThat(head()).as("a plan changes nothing").isEqualTo(commit("v4.2.0"));
        assertThat(host.ssh("root", "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free")
                        .out())
                .isEqualTo("free");
        System.out.printf(
                "pre-flight round trip on the test host: %d ms (plan, lock taken and released in it)%n",
                planned.path("preflight").path("durationMs").asLong());

        Path audit = tmp.resolve("upgrade.jsonl");
        Run run = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--json", "--audit-log", audit.toString());
        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        List<String> names = new ArrayList<>();
        List<String> details = new ArrayList<>();
        result.path("steps").forEach(s -> {
            names.add(s.path("name").asText());
            details.add(s.path("detail").asText());
        });
        int previewAt = names.indexOf("pending migrations for v4.3.1");
        assertThat(previewAt).as("after the checkout").isGreaterThan(names.indexOf("checkout v4.3.1"));
        assertThat(previewAt).as("before the tasks").isLessThan(names.indexOf("after-checkout tasks for v4.3.1"));
        assertThat(details.get(previewAt)).isEqualTo("5 pending (2 post-deployment); 0 applied already");
        List<String> types = types(audit);
        assertThat(types.indexOf("migrations.pending"))
                .as("previewed before the first migration started")
                .isPositive()
                .isLessThan(types.indexOf("task.started"));
        System.out.printf(
                "pre-flight round trip on the test host: %d ms (upgrade, lock taken in it)%n",
                result.path("preflight").path("durationMs").asLong());

        // Once migrated, the same range has nothing left to run.
        Run after = flow("upgrade", "--tag", "v4.3.1", "--from", "v4.2.0", "--plan-only", "--json");
        JsonNode done = JSON.readTree(after.stdout)
                .path("hosts")
                .get(0)
                .path("pendingMigrations")
                .get(0);
        assertThat(done.path("pending")).isEmpty();
        assertThat(done.path("applied").asInt()).isEqualTo(5);
    }

    @Test
    void aPlanWhileAnotherRunHoldsTheLockSaysTheChecksWaitAndChangesNothing() throws Exception {
        host.ssh(
                "root",
                "su - mastodon -c 'mkdir -p ~/.flow-upgrade/lock && echo held by bob since 2026-11-23T11:00:00Z"
                        + " for upgrade to v4.3.1 > ~/.flow-upgrade/lock/holder'");
        Run plan = flow("upgrade", "--tag", "v4.3.1", "--plan-only", "--json");

        assertThat(plan.exitCode).as(plan.stderr).isZero();
        JsonNode preflight = JSON.readTree(plan.stdout).path("hosts").get(0).path("preflight");
        assertThat(preflight.path("status").asText()).isEqualTo("not run");
        assertThat(preflight.path("note").asText()).contains("is locked by another run: held by bob");
        assertThat(host.ssh("mastodon", "cat ~/.flow-upgrade/lock/holder").out())
                .contains("held by bob");
    }

    private Run refused(String check, String... options) throws Exception {
        Path audit = tmp.resolve(check + ".jsonl");
        List<String> args = new ArrayList<>(
                List.of("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--json", "--audit-log", audit.toString()));
        args.addAll(List.of(options));
        Run run = flow(args.toArray(String[]::new));
        assertThat(run.exitCode).as(run.stderr).isEqualTo(3);
        assertThat(run.stderr)
                .contains("pre-flight checks failed on 127.0.0.1; nothing was changed:\n  " + check + ": ")
                .contains("[FAILED]  pre-flight checks")
                .contains("[not run] checkout v4.3.1");
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("refused");
        assertThat(check(result, check).path("status").asText()).isEqualTo("fail");
        assertThat(result.path("preflight").path("checks"))
                .filteredOn(c -> !c.path("name").asText().equals(check))
                .allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("pass"));
        JsonNode recorded = events(audit).stream()
                .filter(e -> e.path("type").asText().equals("preflight.checked"))
                .findFirst()
                .orElseThrow();
        assertThat(recorded.path("fields").path("status").asText()).isEqualTo("fail");
        assertNoSecret(run, audit);
        return run;
    }

    private static void assertNoSecret(Run run, Path audit) throws IOException {
        String everything = run.stdout + run.stderr + Files.readString(audit);
        for (String secret : SECRETS) {
            assertThat(everything).doesNotContain(secret);
        }
    }

    private static JsonNode check(JsonNode result, String name) {
        for (JsonNode c : result.path("preflight").path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + result.path("preflight"));
    }

    private String head() {
        return host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD").out();
    }

    private String commit(String tag) {
        return host.info().tags().stream()
                .filter(t -> t.name().equals(tag))
                .findFirst()
                .orElseThrow()
                .commit();
    }

    /** The CLI in a child JVM inside the host's namespace, with the connection and GitHub options filled in. */
    private Run flow(String... args) throws Exception {
        TestHostInfo info = host.info();
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(List.of(args));
        argv.addAll(List.of(
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
        Process process = host.start(argv.toArray(String[]::new));
        process.getOutputStream().close();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        assertThat(process.waitFor(3, TimeUnit.MINUTES))
                .as("flow finished in time")
                .isTrue();
        return new Run(process.exitValue(), stdout.get(), stderr.get());
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private long mainPid(String unit) {
        TestHost.Result pid = host.ssh("root", "systemctl show " + unit + " -p MainPID --value");
        assertThat(pid.exitCode()).as(pid.stderr()).isZero();
        return Long.parseLong(pid.out());
    }

    private static List<JsonNode> events(Path audit) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static List<String> types(Path audit) throws IOException {
        return events(audit).stream().map(e -> e.path("type").asText()).toList();
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
                PreflightEndToEndTest.class.getClassLoader().getResource(name).toURI());
    }
}
