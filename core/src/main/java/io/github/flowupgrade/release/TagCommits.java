package io.github.flowupgrade.release;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.util.Collection;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * Resolves a release tag to the commit it names with {@code git ls-remote} (JGit, no local clone), so later steps can
 * check that a host checked out exactly that commit. Annotated tags are peeled to their commit.
 */
public final class TagCommits {
    private TagCommits() {}

    public static String resolve(String gitUrl, String tag) {
        String shown = redacted(gitUrl);
        Collection<Ref> refs;
        try {
            refs = Git.lsRemoteRepository().setRemote(gitUrl).setTags(true).call();
        } catch (GitAPIException | RuntimeException e) {
            throw FlowException.network(
                    "cannot list the tags of " + shown + " (" + redacted(String.valueOf(e.getMessage())) + "); check "
                            + Option.GIT_URL.named() + " and the network.",
                    e);
        }
        for (Ref ref : refs) {
            if (ref.getName().equals("refs/tags/" + tag)) {
                ObjectId peeled = ref.getPeeledObjectId();
                return (peeled != null ? peeled : ref.getObjectId()).name();
            }
        }
        throw FlowException.badInput("tag " + tag + " has a GitHub release but is not in " + shown + "; check "
                + Option.GIT_URL.named() + " (it must be the repository the host fetches from).");
    }

    /** A URL without the credentials it may carry ({@code https://user:token@host/...}). */
    static String redacted(String text) {
        return text.replaceAll("://[^/@\\s]+@", "://***@");
    }
}
