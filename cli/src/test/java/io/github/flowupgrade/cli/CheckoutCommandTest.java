package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.SshKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutCommandTest {
    @TempDir
    Path dir;

    /** A listening socket that counts connection attempts and never answers as SSH. */
    private static final class CountingListener implements AutoCloseable {
        final ServerSocketChannel channel;

        CountingListener() throws IOException {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            channel.configureBlocking(false);
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        int accepted() throws IOException {
            int count = 0;
            SocketChannel accepted;
            while ((accepted = channel.accept()) != null) {
                accepted.close();
                count++;
            }
            return count;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private List<String> validArgs(int port) throws IOException {
        SshKeys key = SshKeys.generate(dir.resolve("keys"), "id_ed25519");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        return new ArrayList<>(List.of(
                "checkout",
                "--port",
                Integer.toString(port),
                "--identity",
                key.privateKey().toString(),
                "--known-hosts",
                knownHosts.toString(),
                "--connect-timeout",
                "2",
                "--audit-log",
                dir.resolve("audit.jsonl").toString()));
    }

    private static FlowCommandTest.Run flow(List<String> args) {
        return FlowCommandTest.flow(args.toArray(String[]::new));
    }

    @Test
    void rejectsHostileInputsWithExitCode2BeforeAnyConnection() throws Exception {
        String tooLong = "x".repeat(5000);
        List<List<String>> hostile = List.of(
                // tags
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1;id"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1 && reboot"),
                List.of("--host", "127.0.0.1", "--tag", "$(id)"),
                List.of("--host", "127.0.0.1", "--tag", "`id`"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1\nid"),
                List.of("--host", "127.0.0.1", "--tag=--upload-pack=touch /tmp/pwned"),
                List.of("--host", "127.0.0.1", "--tag=-v4.3.1"),
                List.of("--host", "127.0.0.1", "--tag", "../../v4.3.1"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1\0"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3." + tooLong),
                List.of("--host", "127.0.0.1", "--tag", "main"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1'"),
                // hosts
                List.of("--host", "127.0.0.1;id", "--tag", "v4.3.1"),
                List.of("--host", "$(id).example.com", "--tag", "v4.3.1"),
                List.of("--host", "`id`", "--tag", "v4.3.1"),
                List.of("--host=-oProxyCommand=id", "--tag", "v4.3.1"),
                List.of("--host", "web1\nweb2", "--tag", "v4.3.1"),
                List.of("--host", "web 1", "--tag", "v4.3.1"),
                List.of("--host", "web1\0", "--tag", "v4.3.1"),
                List.of("--host", tooLong, "--tag", "v4.3.1"),
                List.of("--host", "../etc/passwd", "--tag", "v4.3.1"),
                // directories
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/mastodon/../../root"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "home/mastodon/live"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/$(id)/live"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/mastodon/live;id"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/`id`/live"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/mastodon/live\n"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/-rf/live"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/" + tooLong),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--dir", "/home/ma\0stodon"),
                // users
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--app-user", "mastodon;id"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--app-user", "$(id)"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--app-user=-mastodon"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--app-user", "m`id`"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--app-user", "a".repeat(40)),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--login", "root\nid"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--login", "../root"),
                // everything else that reaches a host or decides how
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--expect-commit", "abc"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--expect-commit", "deadbeef;id"),
                // an abbreviated id (issue 16)
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--expect-commit", "0123abc"),
                List.of(
                        "--host",
                        "127.0.0.1",
                        "--tag",
                        "v4.3.1",
                        "--expect-commit",
                        "0123abc".repeat(6).substring(0, 39)),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--as", "doas"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--as", "sudo"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--host-key", "SHA256:short"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--identity-passphrase-env", "A;B"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--parallel", "0"),
                List.of("--host", "127.0.0.1", "--tag", "v4.3.1", "--rollback"),
                List.of("--host", "127.0.0.1", "--host", "127.0.0.1", "--tag", "v4.3.1"),
                List.of("--host", "127.0.0.1"));
        assertThat(hostile).hasSizeGreaterThanOrEqualTo(30);
        try (CountingListener listener = new CountingListener()) {
            List<String> base = validArgs(listener.port());
            long started = System.nanoTime();
            for (List<String> bad : hostile) {
                List<String> args = new ArrayList<>(base);
                args.addAll(bad);
                FlowCommandTest.Run run = flow(args);
                assertThat(run.code())
                        .as("exit code for %s; stderr: %s", bad, run.err())
                        .isEqualTo(2);
                assertThat(run.err()).as("message for %s", bad).startsWith("flow: ");
                assertThat(listener.accepted()).as("connections after %s", bad).isZero();
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%d hostile inputs rejected in %d ms%n", hostile.size(), ms);
            assertThat(Files.exists(dir.resolve("audit.jsonl"))).isFalse();

            // The same arguments with valid values do connect: what stopped the others was the validation.
            List<String> args = new ArrayList<>(base);
            args.addAll(List.of("--host", "127.0.0.1", "--tag", "v4.3.1"));
            FlowCommandTest.Run run = flow(args);
            assertThat(run.code()).as(run.err()).isEqualTo(5);
            assertThat(listener.accepted()).isEqualTo(1);
        }
    }

    @Test
    void dryRunPrintsEveryCommandAndRunsNone() {
        FlowCommandTest.Run run = FlowCommandTest.flow(
                "checkout", "--dry-run", "--host", "web1.example.com", "--tag", "v4.3.1", "--actor", "alice@ci");
        assertThat(run.code()).as(run.err()).isZero();
        String out = run.out().replaceAll("since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "since <now>");
        assertThat(out).isEqualTo("""
                        [web1.example.com] would run: v="$(id -un)" && printf '%s\\n' "$v" && test "$v" = mastodon
                        [web1.example.com] would run: v="$(stat -c %U /home/mastodon/live)" && printf '%s\\n' "$v" && test "$v" = mastodon
                        [web1.example.com] would run: git -C /home/mastodon/live rev-parse --is-inside-work-tree
                        [web1.example.com] would run: mkdir -p -m 700 /home/mastodon/.flow-upgrade && mkdir /home/mastodon/.flow-upgrade/lock && printf '%s\\n' 'held by alice@ci since <now> for checkout v4.3.1' > /home/mastodon/.flow-upgrade/lock/holder
                        [web1.example.com] would run: v="$(git -C /home/mastodon/live --no-optional-locks status '--porcelain=v1' '--untracked-files=no')" && if [ -n "$v" ]; then printf '%s\\n' "$v"; false; fi
                        [web1.example.com] would run: git -C /home/mastodon/live rev-parse --verify 'HEAD^{commit}'
                        [web1.example.com] would run: git -C /home/mastodon/live tag --points-at HEAD
                        [web1.example.com] would run: git -C /home/mastodon/live fetch --tags
                        [web1.example.com] would run: git -C /home/mastodon/live rev-parse --verify --quiet 'refs/tags/v4.3.1^{commit}'
                        [web1.example.com] would run: v="$(git -C /home/mastodon/live -c 'core.quotePath=false' ls-files -v)" && printf '%s\\n' "$v" | sed -n '/^H /!p'
                        [web1.example.com] would run: git -C /home/mastodon/live log --no-show-signature '--format=%H %s' HEAD --not --tags --branches --remotes '--glob=refs/flow-upgrade/kept/*'
                        [web1.example.com] would run: git -C /home/mastodon/live diff --name-only --no-renames HEAD 'refs/tags/v4.3.1^{commit}'
                        [web1.example.com] would run: v="$(git -C /home/mastodon/live diff -z --name-only --no-renames '--diff-filter=A' HEAD 'refs/tags/v4.3.1^{commit}' | xargs -0 -r git -C /home/mastodon/live -c 'core.quotePath=false' --literal-pathspecs ls-files --others --)" && if [ -n "$v" ]; then printf '%s\\n' "$v"; false; fi
                        [web1.example.com] would run: git -C /home/mastodon/live -c 'advice.detachedHead=false' checkout --quiet --detach --no-overwrite-ignore 'refs/tags/v4.3.1^{commit}'
                        [web1.example.com] would run: git -C /home/mastodon/live rev-parse --verify 'HEAD^{commit}'
                        [web1.example.com] would run: rm -f /home/mastodon/.flow-upgrade/lock/holder && rmdir /home/mastodon/.flow-upgrade/lock
                        web1.example.com: dry run, nothing was changed
                        """);
    }

    @Test
    void dryRunJsonIsOneObjectPerHost() throws Exception {
        FlowCommandTest.Run run = FlowCommandTest.flow(
                "checkout", "--dry-run", "--json", "--host", "web1", "--host", "web2", "--tag", "v4.3.1", "--as", "su");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.size()).isEqualTo(2);
        assertThat(json.get(1).get("host").asText()).isEqualTo("web2");
        assertThat(json.get(0).get("status").asText()).isEqualTo("dry-run");
        assertThat(json.get(0).fieldNames())
                .toIterable()
                .containsExactly(
                        "host", "previous", "current", "changed", "durationMs", "status", "error", "keptLocalCommits");
        assertThat(run.err()).contains("[web1] would run: su - mastodon -c 'git -C /home/mastodon/live fetch --tags'");
    }

    @Test
    @Tag("ssh")
    void checksOutOverSshAndPrintsJson() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.start(dir.resolve("server"))) {
            Path live = dir.resolve("home/live");
            GitRepos repos = GitRepos.create(dir.resolve("git"), live);
            String user = System.getProperty("user.name");
            Path audit = dir.resolve("audit.jsonl");
            FlowCommandTest.Run run = FlowCommandTest.flow(
                    "checkout", "--json",
                    "--host", "127.0.0.1",
                    "--port", Integer.toString(server.port()),
                    "--login", user,
                    "--app-user", user,
                    "--dir", live.toString(),
                    "--identity", server.clientKey().privateKey().toString(),
                    "--host-key", server.hostKeyFingerprint(),
                    "--tag", "v4.3.0",
                    "--expect-commit", repos.commitOf("v4.3.0"),
                    "--audit-log", audit.toString());
            assertThat(run.code()).as(run.err()).isZero();
            JsonNode host = new ObjectMapper().readTree(run.out()).get(0);
            assertThat(host.get("status").asText()).isEqualTo("checked-out");
            assertThat(host.get("previous").get("tag").asText()).isEqualTo("v4.2.0");
            assertThat(host.get("current").get("commit").asText()).isEqualTo(repos.commitOf("v4.3.0"));
            assertThat(host.get("changed").get("streaming").asBoolean()).isTrue();
            assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.0"));
            assertThat(Files.readString(audit))
                    .contains("\"checkout.completed\"")
                    .contains("\"lock.released\"")
                    .contains("git -C " + live + " fetch --tags");

            FlowCommandTest.Run moved = FlowCommandTest.flow(
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
                    live.toString(),
                    "--identity",
                    server.clientKey().privateKey().toString(),
                    "--known-hosts",
                    server.knownHosts().toString(),
                    "--tag",
                    "v4.3.1",
                    "--expect-commit",
                    repos.commitOf("v4.3.0"),
                    "--audit-log",
                    audit.toString());
            assertThat(moved.code()).isEqualTo(3);
            assertThat(moved.err()).contains("not at the expected commit");
            assertThat(moved.out()).contains("127.0.0.1: refused (exit 3)");
        }
    }

    @Test
    @Tag("ssh")
    void aHostWithLocalCommitsIsRefusedUntilKeepLocalCommitsIsGiven() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.start(dir.resolve("server"))) {
            Path live = dir.resolve("home/live");
            GitRepos repos = GitRepos.create(dir.resolve("git"), live);
            repos.git(live, "commit", "-q", "--allow-empty", "-m", "Local tweak");
            String local = repos.head();
            String user = System.getProperty("user.name");
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
                    live.toString(),
                    "--identity",
                    server.clientKey().privateKey().toString(),
                    "--host-key",
                    server.hostKeyFingerprint(),
                    "--tag",
                    "v4.3.1",
                    "--audit-log",
                    dir.resolve("audit.jsonl").toString()));

            FlowCommandTest.Run refused = flow(args);
            assertThat(refused.code()).as(refused.err()).isEqualTo(3);
            assertThat(refused.err())
                    .contains(local + " Local tweak")
                    .contains("or run again with --keep-local-commits to keep them under refs/flow-upgrade/kept/");
            assertThat(repos.head()).isEqualTo(local);

            args.add("--keep-local-commits");
            FlowCommandTest.Run kept = flow(args);
            assertThat(kept.code()).as(kept.err()).isZero();
            assertThat(kept.out()).containsPattern("kept 1 local commit\\(s\\) under refs/flow-upgrade/kept/\\d{8}T");
            assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
            assertThat(repos.git(live, "for-each-ref", "--format=%(objectname)", "refs/flow-upgrade/kept/"))
                    .isEqualTo(local);
            assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("\"keptRef\":\"refs/flow-upgrade/kept/");
        }
    }
}
