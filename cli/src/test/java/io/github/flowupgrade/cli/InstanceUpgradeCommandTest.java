package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.testing.FakeGitHub;
import io.github.flowupgrade.testing.FakeGitHubMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flow upgrade --instance FILE} in-process: a description that is wrong in any way is refused with exit code 2
 * before any connection (the hosts are under .invalid, which cannot resolve), and the dry run shows where each step
 * of the instance's upgrade runs, in which order.
 */
class InstanceUpgradeCommandTest {
    private static final String KEY = "SHA256:" + "A".repeat(43);

    @TempDir
    Path tmp;

    private FakeGitHub github;

    @BeforeEach
    void serve() throws Exception {
        github = FakeGitHub.start("mastodon/mastodon", FakeGitHubMain.releases(notes()));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    record Run(int code, String out, String err) {}

    private static Run flow(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Path file(String json) throws Exception {
        Path file = Files.createTempFile(tmp, "instance", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static final String THREE_HOSTS = """
            {"name": "social.invalid", "migrationHost": "web1.invalid",
             "hosts": [
               {"host": "web1.invalid", "roles": ["web"]},
               {"host": "web2.invalid", "roles": ["web", "sidekiq"], "port": 2222, "login": "deploy", "as": "sudo"},
               {"host": "stream.invalid", "roles": ["streaming"]}]}""";

    @Test
    void aWrongDescriptionIsRefusedWithExitCode2BeforeAnyConnection() throws Exception {
        String[][] cases = {
            // unknown field, at the top and on a host
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\"]}], \"migrate\": \"a.invalid\"}",
                "unknown field \"migrate\""
            },
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\"], \"user\": \"x\"}]}",
                "unknown field \"user\" in hosts[0]"
            },
            // no migration host, or one not listed
            {
                "{\"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}",
                "names no migrationHost"
            },
            {
                "{\"migrationHost\": \"b.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\"]}]}",
                "migrationHost \"b.invalid\" is not one of"
            },
            // a role nobody has
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\"]}]}",
                "no host of the instance has the role streaming"
            },
            // the same host twice
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\"]}, {\"host\": \"A.invalid\", \"roles\": [\"streaming\"]}]}",
                "host A.invalid is listed twice"
            },
            // a role that does not exist, a hostile host name, a bad key, a bad port, a bad run-as mode
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\", \"db\"]}]}",
                "names the role \"db\""
            },
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"-oProxyCommand=x\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\"]}]}",
                "not a valid host name"
            },
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"hostKey\": \"MD5:x\","
                        + " \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}",
                "not a SHA256 host key fingerprint"
            },
            {
                "{\"migrationHost\": \"a.invalid:0\", \"hosts\": [{\"host\": \"a.invalid\", \"port\": 0, \"roles\":"
                        + " [\"web\", \"sidekiq\", \"streaming\"]}]}",
                "not a valid port"
            },
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"as\": \"doas\","
                        + " \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}",
                "unknown run-as mode"
            },
            // a host with nothing to do
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"roles\": [\"web\","
                        + " \"sidekiq\", \"streaming\"]}, {\"host\": \"b.invalid\", \"roles\": []}]}",
                "has no role"
            },
            // sudo without a login anywhere
            {
                "{\"migrationHost\": \"a.invalid\", \"hosts\": [{\"host\": \"a.invalid\", \"as\": \"sudo\","
                        + " \"roles\": [\"web\", \"sidekiq\", \"streaming\"]}]}",
                "names no login"
            },
            {"not json", "not valid JSON"},
        };
        for (String[] c : cases) {
            Path file = file(c[0]);
            Run r = flow("upgrade", "--instance", file.toString(), "--tag", "v4.3.1", "--identity", keyFile());
            assertThat(r.code()).as(c[0] + "\n" + r.err()).isEqualTo(2);
            assertThat(r.err()).as(c[0]).startsWith("flow: ").contains(c[1]);
            assertThat(r.out() + r.err()).as(c[0]).doesNotContain("connect");
        }
        Run both = flow(
                "upgrade",
                "--instance",
                file(THREE_HOSTS).toString(),
                "--host",
                "web1.invalid",
                "--tag",
                "v4.3.1",
                "--dry-run");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("give --instance or --host, not both");
        Run missing = flow("upgrade", "--instance", tmp.resolve("none.json").toString(), "--tag", "v4.3.1");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the instance description");
    }

    @Test
    void theDryRunMigratesOnceReloadsWebOneHostAfterTheOtherAndAsksOnceForStreaming() throws Exception {
        Run r = flow(
                "upgrade",
                "--instance",
                file(THREE_HOSTS).toString(),
                "--login",
                "root",
                "--host-key",
                KEY,
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--confirm-manual",
                "--approved-by",
                "Alice Admin",
                "--dry-run");

        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out)
                .contains("Plan for instance social.invalid: v4.2.0 -> v4.3.1")
                .contains("after-checkout: SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate  [v4.3.0,"
                        + " v4.3.1]  once, on web1.invalid")
                .contains("after-checkout: bundle install  [v4.2.1, v4.3.0, v4.3.1]  on every host")
                .contains("web: web1.invalid, web2.invalid:2222 (reloaded in this order");
        // Each host as its own settings reach it: web2 through its deploy login and sudo, the others as root with su.
        assertThat(out)
                .contains("[web2.invalid:2222] would run: sudo -n systemctl restart mastodon-sidekiq")
                .contains("[web1.invalid] would run: systemctl reload mastodon-web");
        // Migrations: once per phase, on the migration host only; dependencies and assets on every host.
        assertThat(started(out, "after-checkout: SKIP_POST_DEPLOYMENT_MIGRATIONS=true bundle exec rails db:migrate"))
                .containsExactly("web1.invalid");
        assertThat(started(out, "after-restart: bundle exec rails db:migrate")).containsExactly("web1.invalid");
        assertThat(started(out, "after-checkout: bundle install"))
                .containsExactly("web1.invalid", "web2.invalid:2222", "stream.invalid");
        assertThat(started(out, "after-checkout: bundle exec rails assets:precompile"))
                .containsExactly("web1.invalid", "web2.invalid:2222", "stream.invalid");
        // Every host checked out and prepared; the order of the whole instance's steps.
        assertThat(out)
                .containsSubsequence(
                        "[stream.invalid] would run: su - mastodon -c 'mkdir -p -m 700 /home/mastodon/.flow-upgrade"
                                + " && mkdir /home/mastodon/.flow-upgrade/lock",
                        "[web1.invalid] would run: su - mastodon -c 'mkdir -p -m 700 /home/mastodon/.flow-upgrade"
                                + " && mkdir /home/mastodon/.flow-upgrade/lock",
                        "[web2.invalid:2222] would run: sudo -n -u mastodon -H sh -c 'mkdir -p -m 700"
                                + " /home/mastodon/.flow-upgrade && mkdir /home/mastodon/.flow-upgrade/lock",
                        "[web1.invalid] would run: su - mastodon -c 'umask 077; f=/home/mastodon/live/.env.production",
                        "[web1.invalid] would run: su - mastodon -c 'git -C /home/mastodon/live -c"
                                + " '\\''advice.detachedHead=false'\\'' checkout",
                        "[web2.invalid:2222] would run: sudo -n -u mastodon -H sh -c 'git -C /home/mastodon/live -c"
                                + " '\\''advice.detachedHead=false'\\'' checkout",
                        "[stream.invalid] would run: su - mastodon -c 'git -C /home/mastodon/live -c"
                                + " '\\''advice.detachedHead=false'\\'' checkout",
                        "[stream.invalid] after-checkout: bundle exec rails assets:precompile",
                        "[web1.invalid] after-checkout: SKIP_POST_DEPLOYMENT_MIGRATIONS=true",
                        "[web2.invalid:2222] would run: sudo -n systemctl restart mastodon-sidekiq",
                        "[web1.invalid] would run: systemctl reload mastodon-web",
                        "[web1.invalid] would run: curl -fsS --max-time 5 http://127.0.0.1:3000/health",
                        "[web2.invalid:2222] would run: sudo -n systemctl reload mastodon-web",
                        "[web2.invalid:2222] would run: curl -fsS --max-time 5 http://127.0.0.1:3000/health",
                        "[web1.invalid] after-restart: bundle exec rails db:migrate",
                        "[stream.invalid] would run: systemctl restart mastodon-streaming",
                        "[web2.invalid:2222] would run: sudo -n -u mastodon -H sh -c 'rm -f"
                                + " /home/mastodon/.flow-upgrade/lock/holder && rmdir",
                        "[web1.invalid] would run: su - mastodon -c 'rm -f /home/mastodon/.flow-upgrade/lock/holder"
                                + " && rmdir",
                        "[stream.invalid] would run: su - mastodon -c 'rm -f /home/mastodon/.flow-upgrade/lock/holder"
                                + " && rmdir",
                        "Summary for instance social.invalid: planned (v4.2.0 -> v4.3.1 via v4.3.1");
        assertThat(lines(out, "systemctl restart mastodon-streaming")).hasSize(1);
        assertThat(lines(out, "systemctl restart mastodon-sidekiq")).hasSize(1);
        assertThat(lines(out, "systemctl reload mastodon-web")).hasSize(2);
        assertThat(out)
                .containsOnlyOnce("streaming restart approved by Alice Admin")
                .doesNotContain("[FAILED]");
    }

    @Test
    void theLineThatFinishesAPendingStreamingRestartOnlyRestartsStreamingOnTheStreamingHosts() throws Exception {
        Run r = flow(
                "upgrade",
                "--instance",
                file(THREE_HOSTS).toString(),
                "--login",
                "root",
                "--tag",
                "v4.3.1",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--dry-run",
                "--from",
                "v4.3.1",
                "--streaming",
                "always",
                "--approved-by",
                "Alice Admin");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Summary for instance social.invalid: planned (v4.3.1 -> v4.3.1, nothing to deploy")
                .contains("[stream.invalid] would run: systemctl restart mastodon-streaming")
                .doesNotContain("git -C /home/mastodon/live fetch")
                .doesNotContain("db:migrate")
                .doesNotContain("systemctl reload mastodon-web")
                .doesNotContain("systemctl restart mastodon-sidekiq");
    }

    @Test
    void planOnlyListsEveryStepWithItsHostAndTakesNoLock() throws Exception {
        Run r = flow(
                "upgrade",
                "--instance",
                file(THREE_HOSTS).toString(),
                "--login",
                "root",
                "--tag",
                "v4.3.1",
                "--from",
                "v4.2.0",
                "--api-url",
                github.apiUrl().toString(),
                "--cache-dir",
                tmp.toString(),
                "--dry-run",
                "--plan-only",
                "--json");

        assertThat(r.code()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode result =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(result.path("status").asText()).isEqualTo("planned");
        List<String> steps = new ArrayList<>();
        result.path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + " @ " + s.path("host").asText()));
        assertThat(steps)
                .containsSubsequence(
                        "lock @ stream.invalid",
                        "back up the database @ web1.invalid",
                        "checkout v4.3.1 @ web2.invalid:2222",
                        "pre-deployment migrations for v4.3.1 @ web1.invalid",
                        "restart sidekiq for v4.3.1 @ web2.invalid:2222",
                        "reload web for v4.3.1 @ web1.invalid",
                        "reload web for v4.3.1 @ web2.invalid:2222",
                        "post-deployment migrations for v4.3.1 @ web1.invalid",
                        "approve streaming restart @ null",
                        "streaming restart @ stream.invalid",
                        "unlock @ stream.invalid")
                .doesNotContain("restart sidekiq for v4.3.1 @ web1.invalid", "streaming restart @ web1.invalid");
        assertThat(r.err())
                .contains("plan only: v4.3.1; nothing was changed")
                .doesNotContain("would run: su - mastodon -c 'mkdir");
    }

    /** The hosts on which a task or step line {@code text} was printed ({@code [host] text}), in order. */
    private static List<String> started(String out, String text) {
        List<String> hosts = new ArrayList<>();
        out.lines()
                .filter(l -> l.startsWith("[") && l.contains("] " + text))
                .forEach(l -> hosts.add(l.substring(1, l.indexOf(']'))));
        return hosts;
    }

    /** The lines of the dry run that mention {@code text}. */
    private static List<String> lines(String out, String text) {
        List<String> found = new ArrayList<>();
        out.lines().filter(l -> l.contains(text) && l.contains("would run:")).forEach(found::add);
        return found;
    }

    private String keyFile() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        if (!Files.exists(key)) {
            Files.writeString(key, "not read: the description is refused first\n");
        }
        return key.toString();
    }

    private static Path notes() throws URISyntaxException {
        return Path.of(InstanceUpgradeCommandTest.class
                .getClassLoader()
                .getResource("testhost-releases")
                .toURI());
    }
}
