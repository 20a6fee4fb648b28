package io.github.flowupgrade.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppProfilesTest {
    @Test
    void mastodonDefaults() {
        AppProfile p = AppProfiles.resolve("mastodon");
        assertThat(p.user()).isEqualTo("mastodon");
        assertThat(p.dir()).isEqualTo("/home/mastodon/live");
        assertThat(p.repo()).isEqualTo("mastodon/mastodon");
        assertThat(p.gitUrl()).isEqualTo("https://github.com/mastodon/mastodon.git");
        assertThat(p.services().sidekiq()).containsExactly("mastodon-sidekiq");
        assertThat(p.services().web()).containsExactly("mastodon-web");
        assertThat(p.services().streaming()).containsExactly("mastodon-streaming");
        assertThat(p.health().web()).isEqualTo(URI.create("http://127.0.0.1:3000/health"));
        assertThat(p.health().streaming()).isEqualTo(URI.create("http://127.0.0.1:4000/api/v1/streaming/health"));
        assertThat(p.health().expectedBody()).isEqualTo("OK");
        assertThat(p.hopRule()).isEqualTo(HopRule.EVERY_MINOR_SERIES);
    }

    @Test
    void flowDefaults() {
        AppProfile p = AppProfiles.resolve("flow");
        assertThat(p.user()).isEqualTo("flow");
        assertThat(p.dir()).isEqualTo("/home/flow/live");
        assertThat(p.repo()).isEqualTo("tootsuite/flow");
        assertThat(p.services().web()).containsExactly("flow-web");
        assertThat(p.services().sidekiq()).containsExactly("flow-sidekiq");
        assertThat(p.services().streaming()).containsExactly("flow-streaming");
        assertThat(p.hopRule()).isEqualTo(HopRule.SINGLE_HOP);
    }

    @Test
    void customProfileOverridesAnyField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hometown.json");
        Files.writeString(file, """
                {"extends": "mastodon", "name": "hometown", "repo": "hometown-fork/hometown",
                 "services": {"streaming": ["mastodon-streaming@4000", "mastodon-streaming@4001"]},
                 "health": {"web": "http://127.0.0.1:3001/health"},
                 "hopRule": "SINGLE_HOP"}
                """);
        AppProfile p = AppProfiles.resolve(file.toString());
        assertThat(p.name()).isEqualTo("hometown");
        assertThat(p.repo()).isEqualTo("hometown-fork/hometown");
        assertThat(p.gitUrl()).isEqualTo("https://github.com/hometown-fork/hometown.git");
        assertThat(p.user()).isEqualTo("mastodon");
        assertThat(p.services().streaming()).containsExactly("mastodon-streaming@4000", "mastodon-streaming@4001");
        assertThat(p.services().web()).containsExactly("mastodon-web");
        assertThat(p.health().web()).isEqualTo(URI.create("http://127.0.0.1:3001/health"));
        assertThat(p.health().streaming())
                .isEqualTo(AppProfile.mastodon().health().streaming());
        assertThat(p.hopRule()).isEqualTo(HopRule.SINGLE_HOP);
    }

    @Test
    void changingTheUserMovesTheDefaultDirectory() {
        AppProfile p = AppProfiles.fromJson("{\"user\": \"social\"}");
        assertThat(p.dir()).isEqualTo("/home/social/live");
        assertThat(AppProfiles.fromJson("{\"user\": \"social\", \"dir\": \"/srv/social/app\"}")
                        .dir())
                .isEqualTo("/srv/social/app");
    }

    @Test
    void badProfilesAreRefusedClearly() {
        for (String[] c : List.of(
                new String[] {"{", "not valid JSON"},
                new String[] {"[]", "must be a JSON object"},
                new String[] {"{\"usr\": \"x\"}", "unknown field in application profile: usr"},
                new String[] {"{\"extends\": \"pleroma\"}", "can extend mastodon or flow"},
                new String[] {"{\"user\": \"root;id\"}", "not a valid user name"},
                new String[] {"{\"dir\": \"/home/../etc\"}", "not a valid application directory"},
                new String[] {"{\"services\": {\"web\": [\"web; reboot\"]}}", "not a valid systemd unit name"},
                new String[] {"{\"services\": {\"db\": \"x\"}}", "unknown field services.db"},
                new String[] {"{\"health\": {\"web\": \"file:///etc/passwd\"}}", "http(s) URL"},
                new String[] {"{\"health\": {\"web\": \"http://u:p@127.0.0.1/\"}}", "without credentials"},
                new String[] {"{\"hopRule\": \"ALL\"}", "hopRule must be"},
                new String[] {"{\"repo\": \"not a repo\"}", "OWNER/NAME"},
                new String[] {"{\"name\": 3}", "name must be a string"})) {
            assertThatThrownBy(() -> AppProfiles.fromJson(c[0]))
                    .as(c[0])
                    .isInstanceOfSatisfying(
                            FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void unknownNameOrMissingFile() {
        assertThatThrownBy(() -> AppProfiles.resolve("pleroma")).hasMessageContaining("unknown application profile");
        assertThatThrownBy(() -> AppProfiles.resolve("/nonexistent/p.json"))
                .hasMessageContaining("cannot read application profile");
    }

    @Test
    void overridesMoveADefaultWorkingTreeWithTheUserButNeverAChosenOne() {
        AppProfile hometown = AppProfile.mastodon().withOverrides("hometown", null);
        assertThat(hometown.user()).isEqualTo("hometown");
        assertThat(hometown.dir()).isEqualTo("/home/hometown/live");
        assertThat(AppProfile.mastodon()
                        .withOverrides("hometown", "/srv/social")
                        .dir())
                .isEqualTo("/srv/social");
        // A profile whose tree is not the default keeps it when only the user changes.
        AppProfile custom = AppProfile.mastodon().withDir("/srv/mastodon");
        assertThat(custom.withOverrides("hometown", null).dir()).isEqualTo("/srv/mastodon");
        assertThat(AppProfile.flow().withOverrides(null, null)).isEqualTo(AppProfile.flow());
        assertThatThrownBy(() -> AppProfile.mastodon().withOverrides("root;x", null))
                .isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> AppProfile.mastodon().withOverrides(null, "relative/live"))
                .isInstanceOf(FlowException.class);
    }
}
