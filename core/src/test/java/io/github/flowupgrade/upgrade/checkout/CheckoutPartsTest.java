package io.github.flowupgrade.upgrade.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostLock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckoutPartsTest {
    @Test
    void classifiesChangedPaths() {
        assertThat(ChangedAreas.of(List.of("app/models/status.rb", "README.md")))
                .isEqualTo(ChangedAreas.NONE);
        assertThat(ChangedAreas.of(List.of("streaming/index.js")))
                .isEqualTo(new ChangedAreas(true, false, false, false, false, List.of("streaming/index.js")));
        assertThat(ChangedAreas.of(List.of("streaming/package.json", "README.md")))
                .isEqualTo(new ChangedAreas(true, false, false, true, false, List.of("streaming/package.json")));
        assertThat(ChangedAreas.of(List.of("db/migrate/1_a.rb")))
                .isEqualTo(new ChangedAreas(false, true, false, false, false));
        assertThat(ChangedAreas.of(List.of("db/post_migrate/1_a.rb")).migrations())
                .isTrue();
        assertThat(ChangedAreas.of(List.of("Gemfile.lock")))
                .isEqualTo(new ChangedAreas(false, false, true, false, false));
        assertThat(ChangedAreas.of(List.of("yarn.lock"))).isEqualTo(new ChangedAreas(false, false, false, true, true));
        assertThat(ChangedAreas.of(List.of("app/javascript/mastodon/main.tsx")))
                .isEqualTo(new ChangedAreas(false, false, false, false, true));
        assertThat(ChangedAreas.of(List.of("db/schema.rb", "app/db/migrate/x.rb")))
                .isEqualTo(ChangedAreas.NONE);
    }

    @Test
    void keepsABoundedListOfTheStreamingPathsThatChanged() {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            paths.add("streaming/lib/file" + i + ".js");
        }
        ChangedAreas changed = ChangedAreas.of(paths);
        assertThat(changed.streamingPaths())
                .hasSize(ChangedAreas.MAX_STREAMING_PATHS)
                .startsWith(paths.get(0));
        assertThat(changed.toMap()).containsEntry("streaming", true).containsKey("streamingPaths");
    }

    @Test
    void keepsStateNextToTheWorkingTree() {
        assertThat(request("/home/mastodon/live").stateDir()).isEqualTo("/home/mastodon/.flow-upgrade");
        assertThat(request("/home/mastodon/live/").stateDir()).isEqualTo("/home/mastodon/.flow-upgrade");
        assertThat(request("/srv/live").stateDir()).isEqualTo("/srv/.flow-upgrade");
        assertThat(request("/live").stateDir()).isEqualTo("/.flow-upgrade");
    }

    @Test
    void validatesTheRequest() {
        assertThatThrownBy(() -> new CheckoutRequest(
                        "/home/mastodon/live", ReleaseTag.of("v4.3.1"), null, true, false, "a", null))
                .isInstanceOf(FlowException.class)
                .hasMessageContaining("rollback returns to the recorded previous commit");
        assertThatThrownBy(() -> new CheckoutRequest("/home/mastodon/live", null, null, false, false, "a", null))
                .isInstanceOf(FlowException.class);
        assertThat(new CheckoutRequest(
                                "/home/mastodon/live", ReleaseTag.of("v4.3.1"), null, false, false, "eve\nx", "b\u0000")
                        .actor())
                .isEqualTo("eve?x");
    }

    @Test
    void picksTheHighestReleaseTagAtHead() {
        assertThat(RunningRelease.highest("v4.3.0-rc.1\nv4.3.0\nlatest\n")).isEqualTo("v4.3.0");
        assertThat(RunningRelease.highest("nightly\n")).isNull();
        assertThat(RunningRelease.highest("")).isNull();
    }

    @Test
    void holderLineSaysWhoWhenAndWhat() {
        assertThat(HostLock.holderLine(
                        "alice@ci", "https://ci/job/7", "checkout v4.3.1", Instant.parse("2026-11-23T12:00:00.123Z")))
                .isEqualTo("held by alice@ci since 2026-11-23T12:00:00Z for checkout v4.3.1 (build https://ci/job/7)");
    }

    private static CheckoutRequest request(String dir) {
        return new CheckoutRequest(dir, ReleaseTag.of("v4.3.1"), null, false, false, "a", null);
    }
}
