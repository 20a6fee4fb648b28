package io.github.flowupgrade.commands;

/**
 * git commands on the host's working tree, each with {@code -C <dir>} so no {@code cd} is needed. Tags are validated
 * as release versions and commits as hex ids before they become words; revisions are always fully qualified
 * ({@code refs/tags/...}) so a branch of the same name cannot be picked instead.
 *
 * @param dir the working tree, such as {@code /home/mastodon/live}
 */
public record GitCommands(String dir) {
    public GitCommands {
        Inputs.dir(dir);
    }

    /** Prints {@code true} inside a working tree; fails otherwise. */
    public Command isWorkTree() {
        return git("rev-parse", "--is-inside-work-tree");
    }

    /**
     * One line per modified, staged, deleted or conflicting tracked file; untracked files are not listed. Read-only:
     * without {@code --no-optional-locks} status may rewrite the index, which fails on a full disk.
     */
    public Command trackedChanges() {
        return git("--no-optional-locks", "status", "--porcelain=v1", "--untracked-files=no");
    }

    /** Fails, printing them, when tracked files have local changes; fails with git's status when git does. */
    public Command noTrackedChanges() {
        return Command.outputEmpty(trackedChanges());
    }

    /** Prints the commit checked out and fails unless it is {@code commit}. */
    public Command headIs(String commit) {
        return Command.outputEquals(head(), Inputs.commit(commit));
    }

    /** The full id of the commit checked out. */
    public Command head() {
        return git("rev-parse", "--verify", "HEAD^{commit}");
    }

    /** The tags pointing at the commit checked out, one per line (none is not an error). */
    public Command tagsAtHead() {
        return git("tag", "--points-at", "HEAD");
    }

    /**
     * Fetches new commits and tags from the default remote. Without {@code --force} git refuses to move a local tag
     * that changed upstream ("would clobber existing tag") and exits non-zero. Not {@code --quiet}: that would hide
     * the rejected tag's name.
     */
    public Command fetchTags() {
        return git("fetch", "--tags");
    }

    /** The commit a tag points at (through an annotated tag object if it is one). */
    public Command tagCommit(String tag) {
        return git("rev-parse", "--verify", "--quiet", "refs/tags/" + Inputs.tag(tag) + "^{commit}");
    }

    /** Succeeds when the commit exists in the local repository. */
    public Command commitExists(String commit) {
        return git("cat-file", "-e", Inputs.commit(commit) + "^{commit}");
    }

    /**
     * Checks out a revision detached, as the admin guide's {@code git checkout vX.Y.Z} leaves it. Real runs pass the
     * commit id they verified; a dry run, which knows no commits, passes {@code refs/tags/<tag>^{commit}}.
     */
    public Command checkoutDetached(String revision) {
        return git("-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", revision(revision));
    }

    /** The paths that differ between two revisions, one per line. */
    public Command changedPaths(String from, String to) {
        return git("diff", "--name-only", "--no-renames", revision(from), revision(to));
    }

    /** A commit id, {@code HEAD}, or {@code refs/tags/<release tag>^{commit}}; nothing else becomes a revision. */
    private static String revision(String revision) {
        if ("HEAD".equals(revision)) {
            return revision;
        }
        String prefix = "refs/tags/";
        String suffix = "^{commit}";
        if (revision != null && revision.startsWith(prefix) && revision.endsWith(suffix)) {
            Inputs.tag(revision.substring(prefix.length(), revision.length() - suffix.length()));
            return revision;
        }
        return Inputs.commit(revision);
    }

    /** The tag as the default remote has it now, without fetching: {@code <sha>\trefs/tags/<tag>} lines. */
    public Command remoteTag(String tag) {
        String t = Inputs.tag(tag);
        return git("ls-remote", "--tags", "origin", "refs/tags/" + t, "refs/tags/" + t + "^{}");
    }

    private Command git(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "git";
        argv[1] = "-C";
        argv[2] = dir;
        System.arraycopy(args, 0, argv, 3, args.length);
        return Command.of(argv);
    }
}
