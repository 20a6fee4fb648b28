package io.github.flowupgrade.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tag to commit with ls-remote against a real repository built by the test. */
class TagCommitsTest {
    @TempDir
    Path dir;

    @Test
    void resolvesLightweightAndAnnotatedTagsToTheirCommit() throws Exception {
        PersonIdent who = new PersonIdent("Test", "test@example.org");
        RevCommit first;
        RevCommit second;
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Files.writeString(dir.resolve("VERSION"), "4.5.1\n");
            git.add().addFilepattern("VERSION").call();
            first = git.commit()
                    .setMessage("4.5.1")
                    .setAuthor(who)
                    .setCommitter(who)
                    .setSign(false)
                    .call();
            git.tag().setName("v4.5.1").setAnnotated(false).setSigned(false).call();
            Files.writeString(dir.resolve("VERSION"), "4.5.2\n");
            git.add().addFilepattern("VERSION").call();
            second = git.commit()
                    .setMessage("4.5.2")
                    .setAuthor(who)
                    .setCommitter(who)
                    .setSign(false)
                    .call();
            git.tag()
                    .setName("v4.5.2")
                    .setMessage("Mastodon v4.5.2")
                    .setTagger(who)
                    .setAnnotated(true)
                    .setSigned(false)
                    .call();
        }
        String url = dir.toUri().toString();
        assertThat(TagCommits.resolve(url, "v4.5.1")).isEqualTo(first.name());
        assertThat(TagCommits.resolve(url, "v4.5.2")).isEqualTo(second.name());
        assertThatThrownBy(() -> TagCommits.resolve(url, "v4.5.3"))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                .hasMessageContaining("v4.5.3");
    }

    @Test
    void unreachableRemoteIsNetworkWithoutCredentials() {
        assertThatThrownBy(() -> TagCommits.resolve("https://user:hunter2@127.0.0.1:1/x.git", "v4.5.2"))
                .isInstanceOfSatisfying(
                        FlowException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.NETWORK))
                .hasMessageNotContaining("hunter2");
    }
}
