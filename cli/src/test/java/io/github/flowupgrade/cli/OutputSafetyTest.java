package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.SshKeys;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: what {@code flow} prints, records and sends to a host never carries a secret or a terminal escape
 * sequence, whichever path it takes: progress, {@code --json}, the final {@code flow: <message>} line, the audit
 * trail, the host's lock and checkout history. Real git on an embedded SSH server, a real HTTP server on loopback; the
 * first test runs {@code flow} as its own process, as an operator does, so that it finds the key in {@code
 * $HOME/.ssh}. Failures name a secret by label only.
 */
class OutputSafetyTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private EmbeddedSshServer server;
    private final String user = System.getProperty("user.name");

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private GitRepos hostWithRepos() {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        return GitRepos.create(dir.resolve("git"), dir.resolve("home/live"));
    }

    private List<String> checkout(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "checkout",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(server.port()),
                "--login",
                user,
                "--app-user",
                user,
                "--dir",
                dir.resolve("home/live").toString(),
                "--known-hosts",
                server.knownHosts().toString(),
                "--tag",
                "v4.3.1",
                "--audit-log",
                dir.resolve("trail.jsonl").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    @Tag("ssh")
    void aFailingFetchThatEchoesThePassphraseAndTheDefaultKeyShowsNeitherAnywhere() throws Exception {
        GitRepos repos = hostWithRepos();
        String passphrase = "Correct horse " + alnum(10) + " staple";
        Path home = dir.resolve("operator");
        // The operator's own key, found in ~/.ssh without --identity, protected by the passphrase.
        SshKeys key = SshKeys.generate(home.resolve(".ssh"), "id_ed25519", passphrase);
        Files.writeString(
                dir.resolve("server/authorized_keys"),
                key.publicLine() + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        String keyLine = Files.readString(key.privateKey())
                .lines()
                .filter(l -> !l.startsWith("-----") && l.length() > 40)
                .findFirst()
                .orElseThrow();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("passphrase", passphrase);
        secrets.put(
                "passphrase, %20-encoded",
                URLEncoder.encode(passphrase, StandardCharsets.UTF_8).replace("+", "%20"));
        secrets.put("passphrase, upper-cased", passphrase.toUpperCase(Locale.ROOT));
        secrets.put(
                "passphrase, base64", Base64.getEncoder().encodeToString(passphrase.getBytes(StandardCharsets.UTF_8)));
        secrets.put("a line of the default private key", keyLine);
        // git fetch fails and echoes its remote, which carries the secrets in several encodings.
        repos.git(
                dir.resolve("home/live"),
                "remote",
                "set-url",
                "origin",
                "/no/such/" + secrets.get("passphrase, %20-encoded") + "/" + secrets.get("passphrase, upper-cased")
                        + "/" + secrets.get("passphrase, base64") + "/" + keyLine + ".git");

        FlowCommandTest.Run run = flowProcess(
                Map.of("HOME", home.toString(), "FLOW_TEST_PASSPHRASE", passphrase),
                checkout("--json", "--identity-passphrase-env", "FLOW_TEST_PASSPHRASE"));
        String out = run.out();
        String err = run.err();
        String trail = Files.readString(dir.resolve("trail.jsonl"));

        assertThat(run.code()).as("exit code of the failed fetch").isEqualTo(4);
        JsonNode result = new ObjectMapper().readTree(out).get(0);
        assertThat(result.get("status").asText()).isEqualTo("failed");
        assertThat(result.get("error").asText()).contains("does not appear to be a git repository", "***");
        assertThat(err).contains("fatal: '/no/such/***/***/***/***.git' does not appear");
        assertThat(trail).contains("***");
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String s = secret.getValue();
            assertThat(out.contains(s))
                    .as("%s in the --json output", secret.getKey())
                    .isFalse();
            assertThat(err.contains(s))
                    .as("%s on standard error", secret.getKey())
                    .isFalse();
            assertThat(trail.contains(s))
                    .as("%s in the audit trail", secret.getKey())
                    .isFalse();
        }
    }

    @Test
    void theFinalLineMasksATokenTheServerEchoed() throws Exception {
        String token = "tok-" + alnum(24);
        // A GitHub that refuses the token and quotes it back, URL-encoded in lower-case hex, in its message.
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.createContext("/", exchange -> {
            byte[] body = ("{\"message\":\"token " + token.replace("-", "%2d") + " may not read this\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        api.start();
        try {
            FlowCommandTest.Run run = flowProcess(
                    Map.of("FLOW_TEST_TOKEN", token),
                    List.of(
                            "fetch-release",
                            "--app",
                            "mastodon",
                            "--tag",
                            "v4.3.1",
                            "--api-url",
                            "http://127.0.0.1:" + api.getAddress().getPort(),
                            "--token-env",
                            "FLOW_TEST_TOKEN",
                            "--cache-dir",
                            dir.resolve("cache").toString()));
            assertThat(run.code()).isEqualTo(2);
            assertThat(run.err()).contains("flow: GitHub refused access (403)").contains("token *** may not read");
            assertThat(run.err().contains(token.substring(4)))
                    .as("the token on standard error")
                    .isFalse();
        } finally {
            api.stop(0);
        }
    }

    @Test
    @Tag("ssh")
    void credentialsInTheBuildUrlNeverReachTheHost() throws Exception {
        GitRepos repos = hostWithRepos();
        Path live = dir.resolve("home/live");
        Path holder = dir.resolve("holder-seen-on-host");
        // The host's view of the lock while the run holds it, kept by git's post-checkout hook.
        Path hook = live.resolve(".git/hooks/post-checkout");
        Files.createDirectories(hook.getParent());
        Files.writeString(
                hook, "#!/bin/sh\ncat " + dir.resolve("home/.flow-upgrade/lock/holder") + " > " + holder + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        FlowCommandTest.Run run = FlowCommandTest.flow(checkout(
                        "--identity",
                        server.clientKey().privateKey().toString(),
                        "--build-url",
                        "https://deploy:p@ss@ci.example/job/upgrade/7/?token=t0ps3cret#x")
                .toArray(String[]::new));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        String seenOnHost = Files.readString(holder) + Files.readString(dir.resolve("home/.flow-upgrade/history"));
        String commandsSent = String.join("\n", server.commands());
        String trail = Files.readString(dir.resolve("trail.jsonl"));
        for (String place : List.of(seenOnHost, commandsSent, trail)) {
            assertThat(place).contains("https://ci.example/job/upgrade/7/");
            assertThat(place).doesNotContain("deploy", "p@ss", "ss@", "t0ps3cret");
        }
    }

    @Test
    @Tag("ssh")
    void escapeSequencesFromAGitHookNeverReachTheTerminal() throws Exception {
        GitRepos repos = hostWithRepos();
        Path hook = dir.resolve("home/live/.git/hooks/post-checkout");
        Files.createDirectories(hook.getParent());
        // Retitles the window, clears the screen, hides text, a C1 CSI, a carriage return over the line: then fails.
        Files.writeString(
                hook,
                "#!/bin/sh\nprintf 'hook \\033]0;owned\\007\\033[2J\\033[8mhidden\\302\\233m\\rfake ok\\n' >&2\n"
                        + "exit 1\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));

        FlowCommandTest.Run json = FlowCommandTest.flow(
                checkout("--identity", server.clientKey().privateKey().toString(), "--json")
                        .toArray(String[]::new));
        FlowCommandTest.Run text = FlowCommandTest.flow(
                checkout("--identity", server.clientKey().privateKey().toString())
                        .toArray(String[]::new));

        assertThat(json.code()).isEqualTo(4);
        assertThat(repos.head()).as("the failed checkout went back").isEqualTo(repos.commitOf("v4.2.0"));
        assertThat(json.err()).contains("hook \\u001b]0;owned\\u0007\\u001b[2J\\u001b[8mhidden\\u009bm\\u000dfake ok");
        assertThat(new ObjectMapper().readTree(json.out()).get(0).get("error").asText())
                .contains("hook \u001b]0;owned");
        for (String shown : List.of(json.out(), json.err(), text.out(), text.err())) {
            assertThat(shown.chars().filter(c -> Character.isISOControl(c) && c != '\n' && c != '\t'))
                    .as("control characters printed")
                    .isEmpty();
        }
    }

    /** Runs {@code flow} as its own process, as an operator does, with extra environment variables. */
    private FlowCommandTest.Run flowProcess(Map<String, String> env, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FlowCommand.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("flow ended").isTrue();
        return new FlowCommandTest.Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String alnum(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
