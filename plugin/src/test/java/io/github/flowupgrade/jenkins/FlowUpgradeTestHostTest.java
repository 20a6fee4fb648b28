package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flowupgrade.testing.TestHost;
import io.github.flowupgrade.testing.TestHostInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowUpgrade}'s agent side against the real test host (Debian, systemd, OpenSSH), beside {@code flow upgrade}:
 * from v4.2.0 to v4.4.0, across two minor series, so Mastodon's rule deploys v4.3.1 and then v4.4.0. The plugin's task
 * (made as the step makes it, sent through serialization to an in-process agent) must deploy each hop as the CLI does
 * on the same host, and return the same map as {@code flow upgrade --json}, timings, process ids and approval times
 * aside. Both run inside the host's network namespace, the only place the host can be reached.
 */
@Tag("testhost")
@ExtendWith(TestHost.class)
class FlowUpgradeTestHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String CLASS_PATH = System.getProperty("java.class.path");

    private static Process github;
    private static String githubUrl;

    @TempDir
    static Path shared;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path tmp;

    /** Release notes of the test host's tags, plus v4.4.0, served as mastodon/mastodon; v4.4.0 added upstream. */
    @BeforeAll
    static void serveReleasesAndTagV440(TestHost host) throws Exception {
        Path notes = Files.createDirectories(shared.resolve("releases"));
        try (Stream<Path> files = Files.list(host.releaseNotes())) {
            for (Path file : files.toList()) {
                Files.copy(file, notes.resolve(file.getFileName()));
            }
        }
        try (InputStream v440 = FlowUpgradeTestHostTest.class.getResourceAsStream("/testhost-v4.4/v4.4.0.md")) {
            Files.copy(v440, notes.resolve("v4.4.0.md"));
        }
        github = host.start(
                JAVA,
                "-cp",
                CLASS_PATH,
                "io.github.flowupgrade.testing.FakeGitHubMain",
                "mastodon/mastodon",
                notes.toString());
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(github.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        assertThat(first).as("FakeGitHubMain's first line").startsWith("FAKE_GITHUB_URL=http://127.0.0.1:");
        githubUrl = first.substring("FAKE_GITHUB_URL=".length());

        // v4.4.0 on top of v4.3.1: a new migration and a change to the streaming server.
        TestHost.Result tagged = host.ssh(
                "root",
                "set -e; w=$(mktemp -d); git clone -q /srv/upstream/mastodon.git \"$w\"; cd \"$w\";"
                        + " git -c advice.detachedHead=false checkout -q v4.3.1;"
                        + " sed -i 's/def minor = 3/def minor = 4/; s/def patch = 1/def patch = 0/'"
                        + " lib/mastodon/version.rb;"
                        + " mkdir -p streaming db/migrate; echo '// quote posts' >> streaming/index.js;"
                        + " printf 'class AddQuotes < ActiveRecord::Migration[7.1]\\n  def change; end\\nend\\n'"
                        + " > db/migrate/20240301000000_add_quotes.rb; git add -A;"
                        + " export GIT_AUTHOR_DATE=2024-03-01T12:00:00Z GIT_COMMITTER_DATE=2024-03-01T12:00:00Z;"
                        + " git -c user.name='Mastodon Release Bot' -c user.email=release@mastodon.example"
                        + " commit -q -m 'Release v4.4.0';"
                        + " git -c user.name='Mastodon Release Bot' -c user.email=release@mastodon.example"
                        + " tag -a v4.4.0 -m 'Release v4.4.0'; git push -q origin v4.4.0; rm -rf \"$w\"");
        assertThat(tagged.exitCode()).as(tagged.stderr()).isZero();
    }

    @AfterAll
    static void removeV440(TestHost host) throws Exception {
        if (github != null) {
            github.getOutputStream().close();
            if (!github.waitFor(10, TimeUnit.SECONDS)) {
                github.destroyForcibly();
            }
        }
        host.reset();
        host.ssh(
                "root",
                "git -C /srv/upstream/mastodon.git tag -d v4.4.0 >/dev/null 2>&1; su - mastodon -c"
                        + " 'git -C ~/live tag -d v4.4.0 >/dev/null 2>&1'; true");
    }

    @Test
    void deploysEveryHopAsTheCliDoesAndReturnsTheSameMap(TestHost host) throws Exception {
        TestHostInfo info = host.info();
        String v431 = commit(info.tags(), "v4.3.1");

        freshHost(host);
        Run plugin = inNamespace(
                host,
                JAVA,
                "-cp",
                CLASS_PATH,
                UpgradeTaskMain.class.getName(),
                info.sshHost(),
                Integer.toString(info.sshPort()),
                "root",
                info.clientKey().toString(),
                info.knownHosts().toString(),
                githubUrl,
                tmp.resolve("workspace").toString(),
                "v4.4.0",
                "alice");
        assertThat(plugin.exitCode()).as(plugin.stderr() + plugin.stdout()).isZero();
        JsonNode fromPlugin = JSON.readTree(plugin.stdout()
                .substring(plugin.stdout().indexOf(UpgradeTaskMain.RESULT) + UpgradeTaskMain.RESULT.length()));
        String v440 = host.ssh("mastodon", "git -C ~/live rev-parse HEAD").out();
        String toolchainByPlugin =
                host.ssh("root", "cat /var/tmp/flow-toolchain.log").out();

        freshHost(host);
        Run cli = inNamespace(
                host,
                JAVA,
                "-jar",
                System.getProperty("flow.cliJar"),
                "upgrade",
                "--tag",
                "v4.4.0",
                "--host",
                info.sshHost(),
                "--port",
                Integer.toString(info.sshPort()),
                "--login",
                "root",
                "--identity",
                info.clientKey().toString(),
                "--known-hosts",
                info.knownHosts().toString(),
                "--api-url",
                githubUrl,
                "--cache-dir",
                tmp.resolve("cli-cache").toString(),
                "--confirm-manual",
                "--approved-by",
                "alice",
                "--no-prompt",
                // Who runs it, as the plugin records a build: the lock's holder line names it.
                "--actor",
                "jenkins upgrade#7",
                "--audit-log",
                tmp.resolve("cli-audit.jsonl").toString(),
                "--json");
        assertThat(cli.exitCode()).as(cli.stderr()).isZero();
        JsonNode fromCli = JSON.readTree(cli.stdout());

        // Both deployed v4.3.1, then v4.4.0 (Mastodon's guide: one release of every minor series), on one lock.
        JsonNode host0 = fromPlugin.path("hosts").get(0);
        assertThat(host0.path("status").asText()).isEqualTo("upgraded");
        assertThat(host0.path("from").asText()).isEqualTo("v4.2.0");
        assertThat(host0.path("hops").toString()).isEqualTo("[\"v4.3.1\",\"v4.4.0\"]");
        List<String> commits = new ArrayList<>();
        host0.path("checkouts")
                .forEach(c -> commits.add(c.path("current").path("commit").asText()));
        assertThat(commits).containsExactly(v431, v440);
        assertThat(host0.path("streaming").path("restarted").asBoolean()).isTrue();
        assertThat(host0.path("streaming").path("approvedBy").asText()).isEqualTo("alice");
        assertThat(host.ssh("mastodon", "git -C ~/live describe --tags").out()).isEqualTo("v4.4.0");
        // The same tasks ran, in the same order, as the same user in the same directory.
        assertThat(host.ssh("root", "cat /var/tmp/flow-toolchain.log").out())
                .isEqualTo(toolchainByPlugin)
                .contains("mastodon /home/mastodon/live RAILS_ENV=production SKIP_POST_DEPLOYMENT_MIGRATIONS=true"
                        + " bundle exec rails db:migrate");

        String pluginMap = comparable(fromPlugin).toPrettyString();
        String cliMap = comparable(fromCli).toPrettyString();
        Files.writeString(tmp.resolve("plugin.json"), pluginMap);
        Files.writeString(tmp.resolve("cli.json"), cliMap);
        assertThat(pluginMap).as("flowUpgrade's map, flow upgrade --json's map").isEqualTo(cliMap);
    }

    /** The host back at v4.2.0 with the toolchain stand-ins and an empty log of what they ran. */
    private static void freshHost(TestHost host) throws IOException {
        host.reset();
        String toolchain = Files.readString(host.toolchainScript());
        TestHost.Result installed = host.ssh(
                "root",
                toolchain + "\n: > /var/tmp/flow-toolchain.log; rm -f /var/tmp/flow-toolchain-*.version"
                        + " /var/tmp/flow-toolchain.fail");
        assertThat(installed.exitCode()).as(installed.stderr()).isZero();
    }

    /**
     * The result without what differs from run to run: durations, process ids (also in the steps' details), the
     * approval's time, the time in the lock's holder line, and the database backup's time (in its file names) and
     * checksum (a dump records when it was made).
     */
    private static JsonNode comparable(JsonNode result) {
        JsonNode copy = result.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("durationMs", "mainPidBefore", "mainPidAfter", "approvedAt", "sha256"));
            for (String field : List.of("detail", "path", "envCopy")) {
                JsonNode text = object.get(field);
                if (text != null && text.isTextual()) {
                    object.put(
                            field,
                            text.asText()
                                    .replaceAll("\\(PID \\d+ -> \\d+\\)", "(PID)")
                                    .replaceAll("since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "since (time)")
                                    .replaceAll("-\\d{8}T\\d{6}Z\\.", "-(time).")
                                    .replaceAll("sha256 [0-9a-f]{12}\\.\\.\\.", "sha256 (dump)..."));
                }
            }
        }
        node.forEach(FlowUpgradeTestHostTest::strip);
    }

    private static String commit(List<TestHostInfo.Tag> tags, String name) {
        return tags.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow()
                .commit();
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run inNamespace(TestHost host, String... command) throws Exception {
        Process process = host.start(command);
        process.getOutputStream().close();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("finished in time").isTrue();
        return new Run(process.exitValue(), out.get(), err.get());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
