package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import org.junit.jupiter.api.Test;

class GitCommandsTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private final GitCommands git = new GitCommands("/home/mastodon/live");

    @Test
    void readsTheWorkingTree() {
        assertThat(git.isWorkTree().line()).isEqualTo("git -C /home/mastodon/live rev-parse --is-inside-work-tree");
        assertThat(git.trackedChanges().line())
                .isEqualTo(
                        "git -C /home/mastodon/live --no-optional-locks status '--porcelain=v1' '--untracked-files=no'");
        assertThat(git.head().line()).isEqualTo("git -C /home/mastodon/live rev-parse --verify 'HEAD^{commit}'");
        assertThat(git.tagsAtHead().line()).isEqualTo("git -C /home/mastodon/live tag --points-at HEAD");
    }

    @Test
    void fetchesTagsWithoutForce() {
        assertThat(git.fetchTags().line()).isEqualTo("git -C /home/mastodon/live fetch --tags");
        assertThat(git.fetchTags().line()).doesNotContain("force").doesNotContain("+refs");
    }

    @Test
    void resolvesFullyQualifiedTags() {
        assertThat(git.tagCommit("v4.3.1").line())
                .isEqualTo("git -C /home/mastodon/live rev-parse --verify --quiet 'refs/tags/v4.3.1^{commit}'");
        assertThat(git.tagCommit("v4.0.15+hometown-1.1.1").line())
                .isEqualTo("git -C /home/mastodon/live rev-parse --verify --quiet"
                        + " 'refs/tags/v4.0.15+hometown-1.1.1^{commit}'");
        assertThat(git.remoteTag("v4.3.1").line())
                .isEqualTo("git -C /home/mastodon/live ls-remote --tags origin refs/tags/v4.3.1"
                        + " 'refs/tags/v4.3.1^{}'");
    }

    @Test
    void checksOutDetached() {
        assertThat(git.checkoutDetached(SHA).line())
                .isEqualTo(
                        "git -C /home/mastodon/live -c 'advice.detachedHead=false' checkout --quiet --detach " + SHA);
        assertThat(git.checkoutDetached("refs/tags/v4.3.1^{commit}").line())
                .isEqualTo("git -C /home/mastodon/live -c 'advice.detachedHead=false' checkout --quiet --detach"
                        + " 'refs/tags/v4.3.1^{commit}'");
        assertThat(git.commitExists(SHA).line())
                .isEqualTo("git -C /home/mastodon/live cat-file -e '" + SHA + "^{commit}'");
    }

    @Test
    void listsChangedPaths() {
        String from = "abcdef1" + "0".repeat(33);
        assertThat(git.changedPaths(from, SHA).line())
                .isEqualTo("git -C /home/mastodon/live diff --name-only --no-renames " + from + " " + SHA);
        assertThat(git.changedPaths("HEAD", "refs/tags/v4.3.1^{commit}").line())
                .isEqualTo("git -C /home/mastodon/live diff --name-only --no-renames HEAD"
                        + " 'refs/tags/v4.3.1^{commit}'");
    }

    @Test
    void refusesAnythingElseAsARevisionOrTag() {
        for (String bad : new String[] {
            "main", "--output=/etc/passwd", "HEAD~1", "refs/tags/main^{commit}", "refs/heads/v4.3.1", "ABCDEF1234"
        }) {
            assertThatThrownBy(() -> git.checkoutDetached(bad))
                    .isInstanceOf(FlowException.class)
                    .extracting(e -> ((FlowException) e).exitCode())
                    .isEqualTo(ExitCode.BAD_INPUT);
        }
        assertThatThrownBy(() -> git.tagCommit("v4.3.1;rm -rf /")).isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> new GitCommands("/home/mastodon/../root")).isInstanceOf(FlowException.class);
    }
}
