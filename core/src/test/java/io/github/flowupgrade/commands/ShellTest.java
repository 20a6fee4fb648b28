package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellTest {
    @Test
    void plainWordsStayBare() {
        assertThat(Shell.quote("v4.3.1")).isEqualTo("v4.3.1");
        assertThat(Shell.quote("/home/mastodon/live")).isEqualTo("/home/mastodon/live");
        assertThat(Shell.quote("mastodon-streaming@4000")).isEqualTo("mastodon-streaming@4000");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(Shell.quote("")).isEqualTo("''");
        assertThat(Shell.quote("a b")).isEqualTo("'a b'");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.quote("$(rm -rf /)")).isEqualTo("'$(rm -rf /)'");
        assertThat(Shell.quote("`id`")).isEqualTo("'`id`'");
        assertThat(Shell.quote("a\nb")).isEqualTo("'a\nb'");
        assertThat(Shell.quote("~")).isEqualTo("'~'");
        assertThat(Shell.quote("FOO=bar")).isEqualTo("'FOO=bar'");
        assertThat(Shell.quote("*")).isEqualTo("'*'");
    }

    @Test
    void refusesNul() {
        assertThatThrownBy(() -> Shell.quote("a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void joinsArgvOneWordEach() {
        assertThat(Shell.join(List.of("git", "-C", "/home/mastodon/live", "checkout", "it's here")))
                .isEqualTo("git -C /home/mastodon/live checkout 'it'\\''s here'");
    }

    /** The real test: a real /bin/sh must hand every hostile value back as exactly one, unchanged argument. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "simple",
                "two words",
                "'",
                "''",
                "\"",
                "it's \"quoted\"",
                "$(touch /tmp/flow-upgrade-pwned)",
                "`touch /tmp/flow-upgrade-pwned`",
                "${HOME}",
                "$HOME",
                "a;b",
                "a && b",
                "a|b",
                "a > /tmp/x",
                "line1\nline2",
                "\r\n",
                "tab\there",
                "-rf",
                "--help",
                "-",
                "*",
                "?",
                "[a-z]",
                "~root",
                "!",
                "#comment",
                "\\",
                "\\'",
                "'\\''",
                "ünïcødé ✓ 日本語",
                "emoji 🐘",
                " leading and trailing ",
                "{a,b}",
                "a=b",
            })
    void aRealShellSeesTheSameValue(String value) throws Exception {
        assertThat(echoThroughShell(value)).isEqualTo(List.of(value));
        // Joined words are a plain argv, so a time limit execs them without a shell: still the same value.
        Command printf = Command.of("printf", "%s\\0", value);
        assertThat(Shell.isArgv(printf.line())).isTrue();
        Command limited = TimeLimit.wrap(printf, java.time.Duration.ofSeconds(10));
        assertThat(limited.line()).doesNotContain(" sh -c ");
        assertThat(words(run(limited.line()))).isEqualTo(List.of(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "git fetch && true",
                "a; b",
                "a | b",
                "a > f",
                "FOO=bar cmd",
                "cmd $(x)",
                "cmd `x`",
                "cmd $HOME",
                "(cd /x)",
                "cmd ~/x",
                "cmd *",
                "two  spaces",
                " leading",
                "trailing ",
                "cmd 'unterminated",
                "cmd \\x",
                "cmd\nnext",
                "",
            })
    void anythingButPlainWordsIsNotAnArgv(String line) {
        assertThat(Shell.isArgv(line)).isFalse();
        if (!line.isEmpty()) {
            Command command = new Command(line, line);
            assertThat(TimeLimit.wrap(command, java.time.Duration.ofSeconds(1)).line())
                    .contains(" sh -c ");
        }
    }

    @Test
    void aRealShellSeesEveryWordOfAnArgv() throws Exception {
        List<String> argv = List.of("one", "two words", "$(x)", "'q'", "-n");
        assertThat(echoThroughShell(argv.toArray(String[]::new))).isEqualTo(argv);
    }

    /** Runs {@code printf '%s\0' <quoted values>} in /bin/sh and splits its NUL-separated output. */
    private static List<String> echoThroughShell(String... values) throws IOException, InterruptedException {
        return words(run("printf '%s\\0' " + Shell.join(List.of(values))));
    }

    private static String run(String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", line)
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>(List.of(text.split("\0", -1)));
        words.remove(words.size() - 1);
        return words;
    }
}
