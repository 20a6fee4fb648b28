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
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flow upgrade} and {@code flow restart} end to end on the real test host (systemd, sshd, the three units). The
 * CLI and the GitHub API double run as child JVMs inside the host's network namespace, as a client on that network
 * would; nothing here connects into the namespace from this JVM.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
class UpgradeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

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
        String toolchain = Files.readString(resource("testhost-toolchain.sh"));
        TestHost.Result installed = host.ssh(
                "root",
                toolchain + "\n: > /var/tmp/flow-toolchain.log; rm -f /var/tmp/flow-toolchain-*.version"
                        + " /var/tmp/flow-toolchain.fail /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf;"
                        + " systemctl daemon-reload");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    @Test
    void upgradesToV431WithApprovalAndLosesNoRequest() throws Exception {
        TestHostInfo info = host.info();
        long sidekiqBefore = mainPid("mastodon-sidekiq");
        long streamingBefore = mainPid("mastodon-streaming");
        Path stop = tmp.resolve("stop-health-loop");
        Process loop = healthLoop(stop);

        Path audit = tmp.resolve("audit.jsonl");
        Run run = flow(
                "upgrade",
                "--tag",
                "v4.3.1",
                "--confirm-manual",
                "--approved-by",
                "Alice Admin",
                "--json",
                "--audit-log",
                audit.toString());

        Files.writeString(stop, "stop");
        String[] counts = finish(loop).strip().split(" ");
        long ok = Long.parseLong(counts[0]);
        long failed = Long.parseLong(counts[1]);

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("upgraded");
        String v431 = info.tags().stream()
                .filter(t -> t.name().equals("v4.3.1"))
                .findFirst()
                .orElseThrow()
                .commit();
        assertThat(host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD")
                        .out())
                .isEqualTo(v431);
        assertThat(result.path("commit").asText()).isEqualTo(v431);

        long sidekiqAfter = mainPid("mastodon-sidekiq");
        assertThat(sidekiqAfter).isNotEqualTo(sidekiqBefore).isPositive();
        JsonNode sidekiq = service(result, "mastodon-sidekiq");
        assertThat(sidekiq.path("action").asText()).isEqualTo("restart");
        assertThat(sidekiq.path("mainPidBefore").asLong()).isEqualTo(sidekiqBefore);
        assertThat(sidekiq.path("mainPidAfter").asLong()).isEqualTo(sidekiqAfter);
        JsonNode web = service(result, "mastodon-web");
        assertThat(web.path("action").asText()).isEqualTo("reload");
        assertThat(web.path("result").asText()).isEqualTo("reloaded");
        assertThat(web.path("healthy").asBoolean()).isTrue();

        assertThat(failed)
                .as("failed health requests during the whole upgrade (%d succeeded)", ok)
                .isZero();
        assertThat(ok).as("health requests made during the upgrade").isGreaterThanOrEqualTo(20);

        JsonNode streaming = result.path("streaming");
        assertThat(streaming.path("needed").asBoolean()).isTrue();
        assertThat(streaming.path("approved").asBoolean()).isTrue();
        assertThat(streaming.path("approvedBy").asText()).isEqualTo("Alice Admin");
        assertThat(streaming.path("restarted").asBoolean()).isTrue();
        assertThat(mainPid("mastodon-streaming")).isNotEqualTo(streamingBefore);

        // The release's tasks ran as the app user, in its directory, in production, pre-deployment first.
        List<String> tasks = host.ssh("root", "cat /var/tmp/flow-toolchain.log")
                .out()
                .lines()
                .filter(l -> l.contains(" bundle ") || l.contains(" yarn "))
                .toList();
        assertThat(tasks)
                .containsExactly(
                        "mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle"
                                + " install",
                        "mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS= yarn"
                                + " install --immutable",
                        "mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle"
                                + " exec rails assets:precompile",
                        "mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS=true"
                                + " bundle exec rails db:migrate",
                        "mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle"
                                + " exec rails db:migrate");

        // The audit trail is intact and names the approver.
        List<JsonNode> events = events(audit);
        JsonNode granted = events.stream()
                .filter(e -> e.path("type").asText().equals("approval.granted"))
                .findFirst()
                .orElseThrow();
        assertThat(granted.path("fields").path("by").asText()).isEqualTo("Alice Admin");
        assertThat(events.stream().map(e -> e.path("type").asText()))
                .contains(
                        "release.resolved",
                        "lock.acquired",
                        "checkout.completed",
                        "task.completed",
                        "service.action",
                        "streaming.decision",
                        "approval.requested",
                        "lock.released",
                        "run.finished");
        StringWriter out = new StringWriter();
        int verify = FlowCommand.execute(
                new String[] {"audit", "verify", audit.toString()}, new PrintWriter(out), new PrintWriter(out));
        assertThat(verify).as(out.toString()).isZero();
        System.out.printf(
                "upgrade v4.2.0 -> v4.3.1: %d ms in the CLI, %d health requests during it, %d failed%n",
                run.millis, ok, failed);
    }

    @Test
    void withoutApprovalStreamingStaysPendingAndALaterRestartWithApprovalDoesIt() throws Exception {
        long streamingBefore = mainPid("mastodon-streaming");
        Run run = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--json");

        assertThat(run.exitCode).as(run.stderr).isZero();
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        assertThat(result.path("status").asText()).isEqualTo("pending approval");
        JsonNode streaming = result.path("streaming");
        assertThat(streaming.path("needed").asBoolean()).isTrue();
        assertThat(streaming.path("approved").asBoolean()).isFalse();
        assertThat(streaming.path("restarted").asBoolean()).isFalse();
        assertThat(streaming.path("status").asText()).isEqualTo("pending approval");
        List<String> steps = new ArrayList<>();
        result.path("steps")
                .forEach(st -> steps.add(
                        st.path("name").asText() + "=" + st.path("status").asText()));
        assertThat(steps).contains("reload web for v4.3.1=done", "streaming restart=pending approval", "unlock=done");
        assertThat(mainPid("mastodon-streaming")).isEqualTo(streamingBefore);
        assertThat(run.stderr).contains("--streaming always --approved-by NAME");

        Path audit = tmp.resolve("restart.jsonl");
        // The later restart goes through the deploy user, whose sudo rules allow only systemctl on the units.
        long webBefore = mainPid("mastodon-web");
        Run restart = flow(
                "restart",
                "--services",
                "web",
                "--web-action",
                "restart",
                "--streaming",
                "always",
                "--approved-by",
                "Bob Ops",
                "--json",
                "--audit-log",
                audit.toString(),
                "--login",
                "deploy",
                "--as",
                "sudo");
        assertThat(restart.exitCode).as(restart.stderr).isZero();
        JsonNode restartResult = JSON.readTree(restart.stdout);
        assertThat(restartResult.path("exitCode").asInt()).isZero();
        JsonNode restarted = restartResult.path("hosts").get(0);
        JsonNode web = service(restarted, "mastodon-web");
        assertThat(web.path("action").asText()).isEqualTo("restart");
        assertThat(web.path("mainPidBefore").asLong()).isEqualTo(webBefore);
        assertThat(web.path("mainPidAfter").asLong()).isNotEqualTo(webBefore).isEqualTo(mainPid("mastodon-web"));
        assertThat(restarted.path("streaming").path("restarted").asBoolean()).isTrue();
        assertThat(restarted.path("streaming").path("approvedBy").asText()).isEqualTo("Bob Ops");
        assertThat(mainPid("mastodon-streaming")).isNotEqualTo(streamingBefore);
        assertThat(events(audit).stream()
                        .filter(e -> e.path("type").asText().equals("approval.granted"))
                        .map(e -> e.path("fields").path("by").asText()))
                .containsExactly("Bob Ops");
    }

    @Test
    void unconfirmedManualStepsAndAnOldRubyAreRefusedBeforeAnythingChanges() throws Exception {
        String before = host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD")
                .out();
        long sidekiqBefore = mainPid("mastodon-sidekiq");

        Run manual = flow("upgrade", "--tag", "v4.3.1", "--approved-by", "Alice Admin");
        assertThat(manual.exitCode).as(manual.stderr).isEqualTo(3);
        assertThat(manual.stderr)
                .contains("manual step(s) from the release notes are not confirmed; nothing was changed on 127.0.0.1")
                .contains("--confirm-manual")
                .contains("[not run] checkout v4.3.1");
        assertThat(manual.stdout)
                .contains("Generate secrets by running `RAILS_ENV=production bin/rails db:encryption:init`");

        host.ssh(
                "root",
                "echo 'ruby 3.0.6p216 (2023-03-30 revision 23a532679b) [x86_64-linux]'"
                        + " > /var/tmp/flow-toolchain-ruby.version");
        Run ruby = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--approved-by", "Alice Admin");
        assertThat(ruby.exitCode).as(ruby.stderr).isEqualTo(3);
        assertThat(ruby.stderr)
                .contains("the release requires newer dependencies than 127.0.0.1 has (as mastodon in"
                        + " /home/mastodon/live); nothing was changed")
                .contains("ruby: needs 3.1 or newer, found 3.0.6");

        host.ssh(
                "root",
                "rm /var/tmp/flow-toolchain-ruby.version; su - mastodon -c 'mkdir -p ~/.flow-upgrade/lock"
                        + " && echo held by bob since 2026-11-23T11:00:00Z for upgrade to v4.3.1"
                        + " > ~/.flow-upgrade/lock/holder'");
        Run locked = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--approved-by", "Alice Admin");
        assertThat(locked.exitCode).as(locked.stderr).isEqualTo(3);
        assertThat(locked.stderr)
                .contains("127.0.0.1 is locked by another run: held by bob since 2026-11-23T11:00:00Z")
                .contains("--force-unlock")
                .contains("[FAILED]  lock")
                .contains("[not run] checkout v4.3.1");

        assertThat(host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD")
                        .out())
                .isEqualTo(before);
        assertThat(mainPid("mastodon-sidekiq")).isEqualTo(sidekiqBefore);
        assertThat(host.ssh("root", "grep -c ' bundle ' /var/tmp/flow-toolchain.log || true")
                        .out())
                .isEqualTo("0");
    }

    @Test
    void aLocalCommitOnTheHostIsRefusedAndKeptUnderAFlowRefOnlyWhenAsked() throws Exception {
        TestHost.Result committed = host.ssh(
                "mastodon",
                "cd /home/mastodon/live && git -c user.name=Admin -c user.email=admin@example.invalid"
                        + " commit -q --allow-empty -m 'Local tweak' && git rev-parse HEAD");
        assertThat(committed.exitCode()).as(committed.stderr()).isZero();
        String local = committed.out();
        long sidekiqBefore = mainPid("mastodon-sidekiq");

        // HEAD carries no release tag now, so the version it runs is given.
        Run refused = flow(
                "upgrade", "--tag", "v4.3.1", "--from", "v4.2.0", "--confirm-manual", "--approved-by", "Alice Admin");

        assertThat(refused.exitCode).as(refused.stderr).isEqualTo(3);
        assertThat(refused.stderr)
                .contains("HEAD on 127.0.0.1 has 1 local commit that no tag or branch reaches:\n  " + local
                        + " Local tweak")
                .contains("--keep-local-commits")
                .contains("[FAILED]  checkout v4.3.1")
                .contains("[not run] restart sidekiq for v4.3.1");
        assertThat(host.ssh("mastodon", "git -C /home/mastodon/live rev-parse HEAD")
                        .out())
                .isEqualTo(local);
        assertThat(mainPid("mastodon-sidekiq")).isEqualTo(sidekiqBefore);

        Run kept = flow(
                "upgrade",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--keep-local-commits",
                "--confirm-manual",
                "--approved-by",
                "Alice Admin",
                "--json");

        assertThat(kept.exitCode).as(kept.stderr).isZero();
        JsonNode keptCommits = JSON.readTree(kept.stdout)
                .path("hosts")
                .get(0)
                .path("checkouts")
                .get(0)
                .path("keptLocalCommits");
        String ref = keptCommits.path("ref").asText();
        assertThat(ref).matches("refs/flow-upgrade/kept/\\d{8}T\\d{6}Z");
        assertThat(keptCommits.path("commits").get(0).asText()).isEqualTo(local);
        assertThat(kept.stderr).contains("kept 1 local commit under " + ref);
        assertThat(host.ssh("mastodon", "git -C /home/mastodon/live rev-parse " + ref)
                        .out())
                .isEqualTo(local);
    }

    @Test
    void aFailingTaskStopsTheRunBeforeTheRestartsAndSaysHowToResume() throws Exception {
        long sidekiqBefore = mainPid("mastodon-sidekiq");
        host.ssh("root", "echo yarn > /var/tmp/flow-toolchain.fail");

        Run run = flow("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--approved-by", "Alice Admin", "--json");

        assertThat(run.exitCode).as(run.stderr).isEqualTo(4);
        assertThat(run.stderr)
                .contains("upgrade task 'yarn install --immutable' (after-checkout, v4.3.1) failed on 127.0.0.1:"
                        + " exited with status 1")
                .contains("yarn: failing on purpose")
                .contains("[done]    checkout v4.3.1")
                .contains("[FAILED]  after-checkout tasks for v4.3.1")
                .contains("[not run] restart sidekiq for v4.3.1")
                .contains("[not run] reload web for v4.3.1");
        assertThat(lineAfter(run.stderr, "To resume (completed steps are safe to repeat): "))
                .contains("--tag v4.3.1")
                .contains("--host 127.0.0.1 --from v4.2.0");
        JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
        List<String> tasks = new ArrayList<>();
        result.path("tasks")
                .forEach(t -> tasks.add(
                        t.path("command").asText() + "=" + t.path("status").asText()));
        assertThat(tasks).containsExactly("bundle install=done", "yarn install --immutable=failed");
        assertThat(mainPid("mastodon-sidekiq")).isEqualTo(sidekiqBefore);
    }

    @Test
    void webThatDoesNotComeBackFailsTheRunAndTheReportSaysWhatCompleted() throws Exception {
        // A drop-in (runtime only) makes "reload" stop web for good, as a broken release would.
        TestHost.Result broken = host.ssh(
                "root",
                "mkdir -p /run/systemd/system/mastodon-web.service.d && printf '%s\\n' '[Service]' 'ExecReload='"
                        + " 'ExecReload=/bin/kill -TERM $MAINPID' 'Restart=no'"
                        + " > /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf"
                        + " && systemctl daemon-reload");
        assertThat(broken.exitCode()).as(broken.stderr()).isZero();
        long streamingBefore = mainPid("mastodon-streaming");
        try {
            Run run = flow(
                    "upgrade",
                    "--tag",
                    "v4.3.1",
                    "--confirm-manual",
                    "--approved-by",
                    "Alice Admin",
                    "--json",
                    "--health-timeout",
                    "5");

            assertThat(run.exitCode).as(run.stderr).isEqualTo(4);
            assertThat(run.stderr)
                    .contains("mastodon-web did not come back after systemctl reload on 127.0.0.1")
                    .contains("--- systemctl status mastodon-web ---")
                    .contains("--- journalctl -u mastodon-web")
                    .contains("[done]    checkout v4.3.1")
                    .contains("[done]    after-checkout tasks for v4.3.1")
                    .contains("[done]    restart sidekiq for v4.3.1")
                    .contains("[FAILED]  reload web for v4.3.1")
                    .contains("[not run] after-restart tasks for v4.3.1")
                    .contains("[not run] streaming restart")
                    .contains("To resume (completed steps are safe to repeat): flow upgrade ")
                    // The pre-deployment migrations ran: the code must not go back alone, the backup is named.
                    .contains("Database migrations ran on 127.0.0.1: do not roll the code back to v4.2.0 alone")
                    .contains("restore the database from /home/mastodon/.flow-upgrade/backups/v4.2.0-to-v4.3.1-")
                    .doesNotContain("To roll the code back");
            String resume = lineAfter(run.stderr, "To resume (completed steps are safe to repeat): ");
            // Every option that changes what the run does is repeated: the same GitHub server, the manual steps
            // confirmed, the approval; the host is named with the version it ran before.
            assertThat(resume)
                    .startsWith("flow upgrade ")
                    .contains("--api-url " + githubUrl)
                    .contains("--confirm-manual")
                    .contains("--approved-by 'Alice Admin'")
                    .contains("--host 127.0.0.1 --from v4.2.0")
                    .doesNotContain("--dry-run");
            JsonNode result = JSON.readTree(run.stdout).path("hosts").get(0);
            assertThat(result.path("migrated").asBoolean()).isTrue();
            assertThat(result.path("rollbackTo").isNull()).isTrue();
            assertThat(result.path("backup").path("status").asText()).isEqualTo("done");
            assertThat(result.path("status").asText()).isEqualTo("failed");
            assertThat(result.path("exitCode").asInt()).isEqualTo(4);
            List<String> statuses = new ArrayList<>();
            result.path("steps")
                    .forEach(s -> statuses.add(
                            s.path("name").asText() + "=" + s.path("status").asText()));
            assertThat(statuses)
                    .contains(
                            "checkout v4.3.1=done",
                            "restart sidekiq for v4.3.1=done",
                            "reload web for v4.3.1=failed",
                            "after-restart tasks for v4.3.1=not run",
                            "streaming restart=not run",
                            "unlock=done");
            assertThat(service(result, "mastodon-web").path("result").asText()).isEqualTo("failed");
            // Post-deployment migrations did not run, streaming was left alone, and the lock is gone.
            assertThat(host.ssh(
                                    "root",
                                    "grep -c 'SKIP_POST_DEPLOYMENT_MIGRATIONS= bundle exec rails db:migrate'"
                                            + " /var/tmp/flow-toolchain.log || true")
                            .out())
                    .isEqualTo("0");
            assertThat(mainPid("mastodon-streaming")).isEqualTo(streamingBefore);
            assertThat(host.ssh("root", "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free")
                            .out())
                    .isEqualTo("free");
        } finally {
            host.ssh(
                    "root",
                    "rm -f /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf; systemctl"
                            + " daemon-reload; systemctl reset-failed mastodon-web; systemctl start mastodon-web");
        }
    }

    @Test
    void withoutMigrationsTheFirstCheckoutsReadsTravelWithThePreflightAndTheTagsAreFetchedOnce() throws Exception {
        Path audit = tmp.resolve("patch.jsonl");
        Run run = flow(
                "upgrade",
                "--tag",
                "v4.2.1",
                "--confirm-manual",
                "--streaming",
                "never",
                "--audit-log",
                audit.toString());

        assertThat(run.exitCode).as(run.stderr).isZero();
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isEqualTo("v4.2.1");
        List<String> commands = new ArrayList<>();
        for (String line : Files.readAllLines(audit)) {
            JsonNode record = JSON.readTree(line);
            if (record.path("type").asText().equals("command")) {
                commands.add(record.path("fields").path("command").asText());
            }
        }
        assertThat(commands.stream().filter(c -> c.contains(" fetch --tags"))).hasSize(1);
        // One marker per round trip: the lock and the checks, then the checkout's reads of the same round trip.
        String lock = commands.stream()
                .filter(c -> c.contains("mkdir /home/mastodon/.flow-upgrade/lock"))
                .findFirst()
                .orElseThrow();
        String marker = lock.replaceAll("(?s).*(FLOW_RUN=flow-[0-9a-f]{16}).*", "$1");
        assertThat(commands.stream().filter(c -> c.contains(" status ") && c.contains("--porcelain")))
                .singleElement()
                .satisfies(c -> assertThat(c).contains(marker));
        assertThat(commands.stream().filter(c -> c.contains("checkout --quiet")))
                .singleElement()
                .satisfies(c -> assertThat(c).doesNotContain(marker));
    }

    @Test
    void theResumeLineRunAsPrintedFinishesTheUpgrade() throws Exception {
        TestHost.Result broken = host.ssh(
                "root",
                "mkdir -p /run/systemd/system/mastodon-web.service.d && printf '%s\\n' '[Service]' 'ExecReload='"
                        + " 'ExecReload=/bin/kill -TERM $MAINPID' 'Restart=no'"
                        + " > /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf"
                        + " && systemctl daemon-reload");
        assertThat(broken.exitCode()).as(broken.stderr()).isZero();
        String resume;
        try {
            Run failed = flow(
                    "upgrade",
                    "--tag",
                    "v4.3.1",
                    "--confirm-manual",
                    "--approved-by",
                    "Alice Admin",
                    "--health-timeout",
                    "5");
            assertThat(failed.exitCode).as(failed.stderr).isEqualTo(4);
            resume = lineAfter(failed.stderr, "To resume (completed steps are safe to repeat): ");
        } finally {
            host.ssh(
                    "root",
                    "rm -f /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf; systemctl"
                            + " daemon-reload; systemctl reset-failed mastodon-web; systemctl start mastodon-web");
        }
        // The line as a user would paste it: nothing added.
        List<String> words = shellWords(resume);
        assertThat(words.get(0)).isEqualTo("flow");
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(words.subList(1, words.size()));
        Process process = host.start(argv.toArray(String[]::new));
        process.getOutputStream().close();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(stderr.get()).isZero();
        assertThat(stdout.get() + stderr.get()).contains("Summary for 127.0.0.1: upgraded");
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isEqualTo("v4.3.1");
    }

    @Test
    void aRestartWhileAnUpgradeHoldsTheHostIsRefusedAndTheUpgradeCompletes() throws Exception {
        yarnWaitsForTheTest();
        try {
            Running upgrade = start("upgrade", "--tag", "v4.3.1", "--confirm-manual", "--streaming", "never", "--json");
            awaitYarn();
            long sidekiqDuring = mainPid("mastodon-sidekiq");

            // The upgrade is between its checkout and its restarts: a restart by hand must not run now.
            Run restart = flow("restart", "--services", "sidekiq");

            assertThat(restart.exitCode).as(restart.stderr).isEqualTo(3);
            assertThat(restart.stderr)
                    .contains("127.0.0.1 is locked by another run: held by ")
                    .contains(" for upgrade to v4.3.1")
                    .contains("--force-unlock");
            assertThat(mainPid("mastodon-sidekiq")).isEqualTo(sidekiqDuring);

            host.ssh("root", ": > /var/tmp/flow-yarn-go");
            Run upgraded = finish(upgrade);
            assertThat(upgraded.exitCode).as(upgraded.stderr).isZero();
            assertThat(JSON.readTree(upgraded.stdout)
                            .path("hosts")
                            .get(0)
                            .path("status")
                            .asText())
                    .isEqualTo("upgraded");
            assertThat(mainPid("mastodon-sidekiq")).isNotEqualTo(sidekiqDuring);
            assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out())
                    .isEqualTo("v4.3.1");
            assertThat(lock()).isEqualTo("free");

            // With the host free, a restart takes the lock for itself and releases it.
            Path audit = tmp.resolve("restart.jsonl");
            Run later = flow("restart", "--services", "sidekiq", "--audit-log", audit.toString());
            assertThat(later.exitCode).as(later.stderr).isZero();
            assertThat(events(audit).stream().map(e -> e.path("type").asText()))
                    .containsSubsequence("lock.acquired", "service.action", "lock.released");
            assertThat(events(audit).stream()
                            .filter(e -> e.path("type").asText().equals("lock.acquired"))
                            .map(e -> e.path("fields").path("holder").asText()))
                    .singleElement()
                    .asString()
                    .contains(" for restart");
            assertThat(lock()).isEqualTo("free");
        } finally {
            host.ssh("root", ": > /var/tmp/flow-yarn-go");
        }
    }

    @Test
    void aRestartWhoseWebDoesNotComeBackFailsAndStillReleasesTheLock() throws Exception {
        TestHost.Result broken = host.ssh(
                "root",
                "mkdir -p /run/systemd/system/mastodon-web.service.d && printf '%s\\n' '[Service]' 'ExecReload='"
                        + " 'ExecReload=/bin/kill -TERM $MAINPID' 'Restart=no'"
                        + " > /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf"
                        + " && systemctl daemon-reload");
        assertThat(broken.exitCode()).as(broken.stderr()).isZero();
        try {
            Run restart = flow("restart", "--health-timeout", "5");

            assertThat(restart.exitCode).as(restart.stderr).isEqualTo(4);
            assertThat(restart.stderr).contains("mastodon-web did not come back after systemctl reload on 127.0.0.1");
            assertThat(lock()).isEqualTo("free");
        } finally {
            host.ssh(
                    "root",
                    "rm -f /run/systemd/system/mastodon-web.service.d/zz-flow-test-break.conf; systemctl"
                            + " daemon-reload; systemctl reset-failed mastodon-web; systemctl start mastodon-web");
        }
    }

    @Test
    void aConnectionLostDuringATaskGivesAResumeLineWithEveryOptionAndTheUnlockThatFinishesAsPrinted() throws Exception {
        yarnWaitsForTheTest();
        String resume;
        try {
            // A task limit under five minutes: the task runs attached to the connection, so losing it stops the run.
            Running upgrade = start(
                    "upgrade", "--tag", "v4.3.1", "--confirm-manual", "--streaming", "never", "--task-timeout", "240");
            awaitYarn();
            // The run's SSH session dies inside the container, as when the link drops.
            enter("pkill -KILL -f '^sshd: root@notty'");
            Run failed = finish(upgrade);

            assertThat(failed.exitCode).as(failed.stderr).isEqualTo(5);
            assertThat(failed.stderr)
                    .contains("was lost while running")
                    .contains("yarn install --immutable")
                    .contains("[FAILED]  after-checkout tasks for v4.3.1");
            resume = lineAfter(failed.stderr, "To resume (completed steps are safe to repeat): ");
        } finally {
            host.ssh("root", ": > /var/tmp/flow-yarn-go");
        }
        assertThat(host.ssh("root", "cat /home/mastodon/.flow-upgrade/lock/holder")
                        .out())
                .as("the lock the lost run left")
                .contains(" for upgrade to v4.3.1");
        // As printed, it must look the release up on the same server, pass the manual-steps gate, keep the
        // streaming policy and the task limit, and remove the lock the lost run left.
        assertThat(resume)
                .startsWith("flow upgrade ")
                .contains("--api-url " + githubUrl)
                .contains("--confirm-manual")
                .contains("--streaming never")
                .contains("--task-timeout 240")
                .contains("--host 127.0.0.1 --from v4.2.0")
                .contains("--force-unlock");

        Run resumed = runAsPrinted(resume);

        assertThat(resumed.exitCode).as(resumed.stderr).isZero();
        assertThat(resumed.stdout + resumed.stderr)
                .contains("removed a stale lock (--force-unlock)")
                .contains("Summary for 127.0.0.1: upgraded");
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isEqualTo("v4.3.1");
        assertThat(lock()).isEqualTo("free");
    }

    /**
     * yarn, an after-checkout task of v4.3.1, waits the first time it runs until the test lets it go on
     * ({@code /var/tmp/flow-yarn-go}): the upgrade then holds the host between its checkout and its restarts for as
     * long as the test needs.
     */
    private void yarnWaitsForTheTest() {
        TestHost.Result installed = host.ssh(
                "root",
                "rm -f /var/tmp/flow-yarn-started /var/tmp/flow-yarn-go; cat > /usr/local/bin/yarn <<'STUB'\n"
                        + "#!/bin/sh\n"
                        + "case \"$1\" in -v|--version) echo 4.5.1; exit 0 ;; esac\n"
                        + "if [ ! -e /var/tmp/flow-yarn-started ]; then\n"
                        + "    : > /var/tmp/flow-yarn-started\n"
                        + "    while [ ! -e /var/tmp/flow-yarn-go ]; do sleep 0.1; done\n"
                        + "fi\n"
                        + "echo \"yarn $*: ok (test host stand-in)\"\n"
                        + "STUB\n"
                        + "chmod 755 /usr/local/bin/yarn");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    /** Waits until yarn runs (and waits) on the host. */
    private void awaitYarn() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!host.ssh("root", "test -e /var/tmp/flow-yarn-started && echo started || echo no")
                .out()
                .equals("started")) {
            assertThat(System.nanoTime()).as("yarn started within two minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** {@code held} or {@code free}: the host's lock. */
    private String lock() {
        return host.ssh("root", "test -e /home/mastodon/.flow-upgrade/lock && echo held || echo free")
                .out();
    }

    /** Runs a shell line as root inside the container, without SSH (testhost enter). */
    private String enter(String line) throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("testhost/testhost"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("testhost/testhost above the working directory").isNotNull();
        Process process = new ProcessBuilder(
                        dir.resolve("testhost/testhost").toString(),
                        "enter",
                        "--name",
                        host.info().name(),
                        "--",
                        "sh",
                        "-c",
                        line)
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        CompletableFuture<String> out = read(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.get();
    }

    /** A printed command line run as a user would paste it, nothing added (in the host's namespace). */
    private Run runAsPrinted(String line) throws Exception {
        List<String> words = shellWords(line);
        assertThat(words.get(0)).isEqualTo("flow");
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(words.subList(1, words.size()));
        long start = System.nanoTime();
        Process process = host.start(argv.toArray(String[]::new));
        process.getOutputStream().close();
        return finish(new Running(process, read(process.getInputStream()), read(process.getErrorStream()), start));
    }

    /** The rest of the first line of {@code text} that starts with {@code prefix} (after any log prefix). */
    private static String lineAfter(String text, String prefix) {
        return text.lines()
                .filter(l -> l.contains(prefix))
                .map(l -> l.substring(l.indexOf(prefix) + prefix.length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with " + prefix + " in:\n" + text));
    }

    /** Splits a line quoted as the engine quotes words (plain words and '...' with '\\'' for a quote). */
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

    /** The CLI in a child JVM inside the host's namespace, with the connection and GitHub options filled in. */
    private Run flow(String... args) throws Exception {
        return finish(start(args));
    }

    /** A run of the CLI that is under way. */
    private record Running(
            Process process, CompletableFuture<String> stdout, CompletableFuture<String> stderr, long start) {}

    private static Run finish(Running running) throws Exception {
        assertThat(running.process().waitFor(3, TimeUnit.MINUTES))
                .as("flow finished in time")
                .isTrue();
        return new Run(
                running.process().exitValue(),
                running.stdout().get(),
                running.stderr().get(),
                (System.nanoTime() - running.start()) / 1_000_000);
    }

    /** {@link #flow}, without waiting for it to finish. */
    private Running start(String... args) {
        TestHostInfo info = host.info();
        List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", CLASS_PATH, "io.github.flowupgrade.cli.FlowCommand"));
        argv.addAll(List.of(args));
        argv.addAll(List.of("--host", info.sshHost(), "--port", Integer.toString(info.sshPort())));
        if (!argv.contains("--login")) {
            argv.addAll(List.of("--login", "root", "--as", "su"));
        }
        argv.addAll(List.of(
                "--identity",
                info.clientKey().toString(),
                "--known-hosts",
                info.knownHosts().toString(),
                "--no-prompt"));
        if (args[0].equals("upgrade")) {
            argv.addAll(List.of(
                    "--api-url", githubUrl,
                    "--cache-dir", tmp.resolve("github-cache").toString(),
                    "--git-url", info.upstream().hostPath().toString()));
        }
        if (!argv.contains("--audit-log")) {
            argv.addAll(List.of(
                    "--audit-log",
                    tmp.resolve("audit-" + System.nanoTime() + ".jsonl").toString()));
        }
        long start = System.nanoTime();
        Process process = host.start(argv.toArray(String[]::new));
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Running(process, read(process.getInputStream()), read(process.getErrorStream()), start);
    }

    private record Run(int exitCode, String stdout, String stderr, long millis) {}

    /** curl against web's /health in a tight loop inside the namespace until {@code stop} exists; prints "ok failed". */
    private Process healthLoop(Path stop) {
        return host.start(
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

    private long mainPid(String unit) {
        TestHost.Result pid = host.ssh("root", "systemctl show " + unit + " -p MainPID --value");
        assertThat(pid.exitCode()).as(pid.stderr()).isZero();
        return Long.parseLong(pid.out());
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
                    Thread t = new Thread(runnable, "e2e-output");
                    t.setDaemon(true);
                    t.start();
                });
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(
                UpgradeEndToEndTest.class.getClassLoader().getResource(name).toURI());
    }
}
