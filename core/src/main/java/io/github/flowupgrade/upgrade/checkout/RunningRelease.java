package io.github.flowupgrade.upgrade.checkout;

import io.github.flowupgrade.commands.GitCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.release.ReleaseVersion;
import io.github.flowupgrade.remote.ExecResult;
import java.util.Comparator;

/** The release a host runs: the highest release tag pointing at the working tree's {@code HEAD}. */
public final class RunningRelease {
    private RunningRelease() {}

    /**
     * Reads it on the host, as the application user.
     *
     * @return the tag as spelt, or null when {@code HEAD} carries none (or in a dry run, which reads nothing)
     */
    public static String read(HostShell shell) {
        GitCommands git = new GitCommands(shell.access().appDir());
        ExecResult tags = shell.app(git.tagsAtHead());
        if (!shell.executes()) {
            return null;
        }
        if (!tags.succeeded()) {
            throw shell.failure("reading the release the host runs", git.tagsAtHead(), tags);
        }
        return highest(tags.stdout());
    }

    /** The highest release version among the tags listed one per line; several tags may name one commit. */
    static String highest(String tagsOutput) {
        return tagsOutput
                .lines()
                .map(String::strip)
                .filter(ReleaseTag::isValid)
                .filter(t -> ReleaseVersion.parse(t).isPresent())
                .max(Comparator.comparing(t -> ReleaseVersion.parse(t).orElseThrow()))
                .orElse(null);
    }
}
