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
        assertThat(git.tagCommit(ReleaseTag.of("v4.3.1")).line())
                .isEqualTo("git -C /home/mastodon/live rev-parse --verify --quiet 'refs/tags/v4.3.1^{commit}'");
        assertThat(git.tagCommit(ReleaseTag.of("v4.0.15+hometown-1.1.1")).line())
                .isEqualTo("git -C /home/mastodon/live rev-parse --verify --quiet"
                        + " 'refs/tags/v4.0.15+hometown-1.1.1^{commit}'");
        assertThat(git.remoteTag(ReleaseTag.of("v4.3.1")).line())
                .isEqualTo("git -C /home/mastodon/live ls-remote --tags origin refs/tags/v4.3.1"
                        + " 'refs/tags/v4.3.1^{}'");
    }

    @Test
    void checksOutDetached() {
        assertThat(git.checkoutDetached(SHA).line())
                .isEqualTo("git -C /home/mastodon/live -c 'advice.detachedHead=false' checkout --quiet --detach"
                        + " --no-overwrite-ignore " + SHA);
        assertThat(git.checkoutDetached("refs/tags/v4.3.1^{commit}").line())
                .isEqualTo("git -C /home/mastodon/live -c 'advice.detachedHead=false' checkout --quiet --detach"
                        + " --no-overwrite-ignore 'refs/tags/v4.3.1^{commit}'");
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
    void findsUntrackedAndIgnoredFilesWhereTheTargetAddsPaths() {
        // No exclude option, so ignored files count; paths from diff -z go to ls-files as literal pathspecs.
        assertThat(git.noUntrackedFilesInTheWay("HEAD", SHA).line())
                .isEqualTo("v=\"$(git -C /home/mastodon/live diff -z --name-only --no-renames '--diff-filter=A' HEAD "
                        + SHA + " | xargs -0 -r git -C /home/mastodon/live -c 'core.quotePath=false'"
                        + " --literal-pathspecs ls-files --others --)\""
                        + " && if [ -n \"$v\" ]; then printf '%s\\n' \"$v\"; false; fi");
        assertThat(git.noUntrackedFilesInTheWay("HEAD", "refs/tags/v4.3.1^{commit}")
                        .line())
                .contains("HEAD 'refs/tags/v4.3.1^{commit}' | xargs");
    }

    @Test
    void listsLocalWorkACheckoutWouldHideOrLeaveBehind() {
        assertThat(git.flaggedFiles().line())
                .isEqualTo("v=\"$(git -C /home/mastodon/live -c 'core.quotePath=false' ls-files -v)\""
                        + " && printf '%s\\n' \"$v\" | sed -n '/^H /!p'");
        assertThat(git.unreachableLocalCommits().line())
                .isEqualTo("git -C /home/mastodon/live log --no-show-signature '--format=%H %s' HEAD --not --tags"
                        + " --branches --remotes '--glob=refs/flow-upgrade/kept/*'");
        assertThat(git.keep("20261123T100000Z", SHA).line())
                .isEqualTo(
                        "git -C /home/mastodon/live update-ref refs/flow-upgrade/kept/20261123T100000Z " + SHA + " ''");
        for (String bad : new String[] {"", "../heads/main", "a..b", "-x", "a/b", "x y"}) {
            assertThatThrownBy(() -> git.keep(bad, SHA)).isInstanceOf(IllegalArgumentException.class);
        }
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
        assertThatThrownBy(() -> git.tagCommit(ReleaseTag.of("v4.3.1;rm -rf /")))
                .isInstanceOf(FlowException.class);
        assertThatThrownBy(() -> new GitCommands("/home/mastodon/../root")).isInstanceOf(FlowException.class);
    }
}
