package io.github.flowupgrade.action;

import static io.github.flowupgrade.action.ActionTesting.JOB_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action's plan over a real SSH connection (the embedded server, commands run by {@code /bin/sh} in a real git
 * working tree at v4.2.0): the private key and its passphrase arrive as secrets, reach flow as a 0600 file and an
 * environment variable, are masked, and are gone when the step ends; the trail is kept for upload and verifies.
 */
@Tag("ssh")
class ActionSshTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSPHRASE = "correct horse battery staple 42";

    @TempDir
    Path tmp;

    private EmbeddedSshServer server;
    private GitRepos repos;
    private FakeGitHub github;
    private SshKeys deployKey;

    @BeforeEach
    void start() throws Exception {
        repos = GitRepos.create(tmp.resolve("repos"), tmp.resolve("live"));
        server = EmbeddedSshServer.start(tmp.resolve("ssh"));
        deployKey = SshKeys.generate(tmp.resolve("deploy"), "id_deploy", PASSPHRASE);
        Files.writeString(tmp.resolve("ssh/authorized_keys"), deployKey.publicLine() + "\n", StandardOpenOption.APPEND);
        github = FakeGitHub.start(
                "mastodon/mastodon",
                FakeGitHubMain.releases(
                        ActionTesting.repository().resolve("cli/src/test/resources/testhost-releases")));
        github.validToken(JOB_TOKEN);
    }

    @AfterEach
    void stop() {
        github.close();
        server.close();
    }

    private CompositeAction.Run plan(String sshKey, String... more) throws Exception {
        Path workspace = Files.createDirectories(tmp.resolve("workspace/mastodon"));
        Files.writeString(
                workspace.resolve("instance.json"),
                "{\"hosts\": [\"127.0.0.1\"], \"port\": " + server.port() + ", \"dir\": \"" + repos.workTree()
                        + "\",\n \"knownHosts\": [\"" + server.hostKey().knownHostsLine("127.0.0.1", server.port())
                        + "\"]}\n");
        Map<String, String> with = ActionTesting.with(
                "command",
                "plan",
                "instance-file",
                "mastodon/instance.json",
                "tag",
                "v4.3.1",
                "ssh-key",
                sshKey,
                "ssh-key-passphrase",
                PASSPHRASE,
                "flow-jar",
                ActionTesting.flowJar().toString(),
                "extra-args",
                "--api-url\n" + github.apiUrl() + "\n--cache-dir\n" + tmp.resolve("github-cache"));
        with.putAll(ActionTesting.with(more));
        return ActionTesting.action()
                .run(
                        with,
                        ActionTesting.runner(
                                tmp, ActionTesting.github(github.apiUrl().toString()), Map.of()));
    }

    @Test
    void planReadsTheHostsReleaseWithAnEncryptedKeyFromSecretsAndLeavesNoKeyBehind() throws Exception {
        String key = Files.readString(deployKey.privateKey(), StandardCharsets.UTF_8);
        // As a secret pasted on Windows: CRLF line ends, which the action turns into what OpenSSH reads.
        CompositeAction.Run run = plan(key.replace("\n", "\r\n"));

        assertThat(run.exitCode()).as(run.printed()).isZero();
        assertThat(run.printed())
                .contains("[127.0.0.1] runs v4.2.0; target v4.3.1")
                .contains("--plan-only");
        assertThat(run.output("status")).isEqualTo("planned");
        assertThat(run.output("streaming-needed")).isEqualTo("true");
        JsonNode host = JSON.readTree(run.output("result")).path("hosts").get(0);
        assertThat(host.path("from").asText()).isEqualTo("v4.2.0");
        assertThat(host.path("hops").toString()).isEqualTo("[\"v4.3.1\"]");
        assertThat(repos.head()).as("a plan changes nothing").isEqualTo(repos.commitOf("v4.2.0"));
        assertThat(server.commands()).noneMatch(c -> c.contains("checkout"));
        // The pre-flight checks hold the host's lock for their one round trip only (docs/upgrade.md).
        assertThat(server.commands()).anyMatch(c -> c.contains(tmp.resolve(".flow-upgrade/lock") + " &&"));
        assertThat(tmp.resolve(".flow-upgrade/lock")).as("the lock given back").doesNotExist();

        List<String> keyLines =
                key.lines().filter(l -> !l.startsWith("-----") && !l.isBlank()).toList();
        assertThat(run.masks()).contains(PASSPHRASE, JOB_TOKEN).containsAll(keyLines);
        assertSecretsNowhere(run.printed(), keyLines);
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .as("the private key's directory")
                .isEmpty();

        Path trail = Path.of(run.output("audit-log"));
        assertThat(trail).isEqualTo(tmp.resolve("workspace/flow-audit/plan-4242-1.jsonl"));
        String records = Files.readString(trail);
        assertSecretsNowhere(records, keyLines);
        JsonNode started = JSON.readTree(records.lines().findFirst().orElseThrow());
        assertThat(started.path("fields").path("actor").asText()).isEqualTo("alice-admin (GitHub Actions)");
        assertThat(started.path("fields").path("buildUrl").asText())
                .isEqualTo("https://github.com/octo-org/mastodon-config/actions/runs/4242/attempts/1");
        Process verify = new ProcessBuilder(
                        "java", "-jar", ActionTesting.flowJar().toString(), "audit", "verify", trail.toString())
                .redirectErrorStream(true)
                .start();
        String verified = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor()).as(verified).isZero();
        assertThat(github.authorizations()).contains("Bearer " + JOB_TOKEN);
    }

    @Test
    void aKeyGivenAsBase64IsDecodedAndItsLinesMaskedAsWell() throws Exception {
        String key = Files.readString(deployKey.privateKey(), StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));

        CompositeAction.Run run = plan(encoded);

        assertThat(run.exitCode()).as(run.printed()).isZero();
        List<String> keyLines =
                key.lines().filter(l -> !l.startsWith("-----") && !l.isBlank()).toList();
        // The decoded key is a value the action derived: the runner knows only the base64 as a secret.
        assertThat(run.masks()).contains(encoded).containsAll(keyLines);
        assertSecretsNowhere(run.printed(), keyLines);
        assertThat(run.printed()).doesNotContain(encoded);
    }

    @Test
    void aHostKeyThatDoesNotMatchIsRefusedBeforeAnyCommandRuns() throws Exception {
        String key = Files.readString(deployKey.privateKey(), StandardCharsets.UTF_8);
        SshKeys other = SshKeys.generate(tmp.resolve("other"), "ssh_host_ed25519_key");

        CompositeAction.Run run = plan(key, "host-keys", other.fingerprint());

        assertThat(run.exitCode()).as(run.printed()).isEqualTo(3);
        assertThat(run.output("exit-code")).isEqualTo("3");
        assertThat(run.printed()).contains(server.hostKeyFingerprint()).contains(other.fingerprint());
        assertThat(server.commands()).isEmpty();
        assertThat(run.commands()).anySatisfy(c -> assertThat(c.name()).isEqualTo("error"));
        assertThat(ActionTesting.leftovers(tmp.resolve("runner-temp"), "flow-action-"))
                .isEmpty();
    }

    private static void assertSecretsNowhere(String text, List<String> keyLines) {
        assertThat(text).doesNotContain(PASSPHRASE).doesNotContain(JOB_TOKEN);
        for (String line : keyLines) {
            assertThat(text).doesNotContain(line);
        }
    }
}
