package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.app.AppProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputsTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "v4.3.1",
                "4.3.1",
                "v4.4.0-rc.1",
                "v4.0.0-beta.2",
                "v4.0.15+hometown-1.1.1",
                "v10.20.30",
                "v0.0.0"
            })
    void acceptsReleaseTags(String tag) {
        assertThat(ReleaseTag.of(tag).name()).isEqualTo(tag);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "main",
                "v4.3",
                "v4.3.1;rm -rf /",
                "v4.3.1 ",
                "$(id)",
                "`id`",
                "v4.3.1\nv4.3.2",
                "-v4.3.1",
                "--upload-pack=x",
                "V4.3.1",
                "v04.3.1",
                "v4.3.1-",
                "v4.3.1+",
                "v4.3.1-rc..1",
                "refs/tags/v4.3.1",
                "../v4.3.1",
                "v4.3.1\0",
            })
    void refusesEverythingElse(String tag) {
        assertThatThrownBy(() -> ReleaseTag.of(tag))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageContaining("not a release tag");
    }

    @Test
    void errorMessagesShowControlCharactersEscapedAndBounded() {
        assertThatThrownBy(() -> ReleaseTag.of("v1\n2")).hasMessageContaining("\"v1\\x0a2\"");
        assertThatThrownBy(() -> ReleaseTag.of("x".repeat(500))).hasMessageContaining("(500 characters)");
    }

    @Test
    void users() {
        assertThat(Inputs.user("mastodon")).isEqualTo("mastodon");
        assertThat(Inputs.user("_flow-1")).isEqualTo("_flow-1");
        for (String bad : new String[] {"root;id", "-mastodon", "Mastodon", "a b", "", "$(id)", "x".repeat(33)}) {
            assertThatThrownBy(() -> Inputs.user(bad)).as(bad).isInstanceOf(FlowException.class);
        }
    }

    @Test
    void directories() {
        assertThat(Inputs.dir("/home/mastodon/live")).isEqualTo("/home/mastodon/live");
        assertThat(Inputs.dir("/srv/flow/live/")).isEqualTo("/srv/flow/live/");
        for (String bad : new String[] {
            "live", "/", "/home/../etc", "/home/./x", "/home//x", "/home/ma stodon", "/home/$(id)", "/home/-rf", "/a\nb"
        }) {
            assertThatThrownBy(() -> Inputs.dir(bad)).as(bad).isInstanceOf(FlowException.class);
        }
    }

    @Test
    void units() {
        assertThat(Inputs.unit("mastodon-streaming@4000")).isEqualTo("mastodon-streaming@4000");
        assertThat(Inputs.unit("mastodon-web.service")).isEqualTo("mastodon-web.service");
        for (String bad : new String[] {"-mastodon", "a b", "web;reboot", "", "x\n"}) {
            assertThatThrownBy(() -> Inputs.unit(bad)).as(bad).isInstanceOf(FlowException.class);
        }
    }

    @Test
    void hostsPortsCommits() {
        assertThat(Inputs.host("social.example.org")).isEqualTo("social.example.org");
        assertThat(Inputs.host("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(Inputs.host("::1")).isEqualTo("::1");
        for (String bad : new String[] {"-oProxyCommand=x", "a b", "host;id", "", "ex ample", "a_b.example"}) {
            assertThatThrownBy(() -> Inputs.host(bad)).as(bad).isInstanceOf(FlowException.class);
        }
        assertThat(Inputs.port(22)).isEqualTo(22);
        assertThatThrownBy(() -> Inputs.port(0)).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> Inputs.port(65536)).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> Inputs.commit("HEAD")).isInstanceOf(FlowException.class);
    }

    // Issue 16, item 8: an abbreviated commit id names whatever has that prefix; only the full id pins a commit.
    @Test
    void aCommitIsTheFullFortyHexDigits() {
        String full = "0123456789abcdef0123456789abcdef01234567";
        assertThat(Inputs.commit(full)).isEqualTo(full);
        for (String bad : new String[] {"0123abc", full.substring(0, 39), full + "8", full.toUpperCase(), ""}) {
            assertThatThrownBy(() -> Inputs.commit(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        }
        assertThatThrownBy(() -> Inputs.commit("0123abc")).hasMessageContaining("40 lower-case hex digits");
    }

    // Issue 16, item 8: the repository becomes part of an API path; dots alone would move it.
    @Test
    void aRepositoryCannotMoveTheApiPath() {
        for (String good : new String[] {"mastodon/mastodon", "glitch-soc/mastodon", "o/.github", "o/a..b", "o/.x."}) {
            assertThat(Inputs.repo(good)).isEqualTo(good);
        }
        for (String bad : new String[] {
            "mastodon/..",
            "mastodon/.",
            "mastodon/...",
            "../mastodon",
            "mastodon/../x",
            "mastodon/x/..",
            "mastodon%2F..",
            "mastodon/%2e%2e",
            "mastodon/x?y",
            "mastodon/x#y",
            "-o/x",
            "mastodon\\.."
        }) {
            assertThatThrownBy(() -> Inputs.repo(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT));
        }
        assertThatThrownBy(() -> AppProfile.mastodon().withRepo("mastodon/.."))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("not a GitHub repository: \"mastodon/..\"");
    }
}
