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
    public Command tagCommit(ReleaseTag tag) {
        return git("rev-parse", "--verify", "--quiet", tag.commitRevision());
    }

    /** Succeeds when the commit exists in the local repository. */
    public Command commitExists(String commit) {
        return git("cat-file", "-e", Inputs.commit(commit) + "^{commit}");
    }

    /**
     * Checks out a revision detached, as the admin guide's {@code git checkout vX.Y.Z} leaves it. Real runs pass the
     * commit id they verified; a dry run, which knows no commits, passes {@code refs/tags/<tag>^{commit}}. By default
     * git treats ignored files as expendable: it overwrites an ignored {@code .env.production} that the revision tracks
     * and deletes ignored files in a directory that the revision turns into a file. {@code --no-overwrite-ignore}
     * makes git refuse both, before it changes anything, as it already does for other untracked files.
     */
    public Command checkoutDetached(String revision) {
        return git(
                "-c",
                "advice.detachedHead=false",
                "checkout",
                "--quiet",
                "--detach",
                "--no-overwrite-ignore",
                revision(revision));
    }

    /**
     * Fails, printing them, when files that git does not track here (ignored ones included) sit at paths that
     * {@code to} adds, or inside a directory that {@code to} makes a file: the files a checkout from {@code from}
     * (which must be {@code HEAD} with no local changes) to {@code to} would overwrite or delete. Read-only. A
     * directory {@code to} needs where an untracked file stands is left to {@link #checkoutDetached}'s own refusal.
     */
    public Command noUntrackedFilesInTheWay(String from, String to) {
        Command added =
                git("diff", "-z", "--name-only", "--no-renames", "--diff-filter=A", revision(from), revision(to));
        // No exclude options: ls-files --others then lists ignored files too. Paths are literal, never patterns.
        Command untracked = Command.of(
                "xargs",
                "-0",
                "-r",
                "git",
                "-C",
                dir,
                "-c",
                "core.quotePath=false",
                "--literal-pathspecs",
                "ls-files",
                "--others",
                "--");
        return Command.outputEmpty(added.pipe(untracked));
    }

    /**
     * The commits reachable from {@code HEAD} but from no tag, branch, remote-tracking branch or ref flow kept, newest
     * first, one {@code <sha> <subject>} line each: local work a detached checkout would leave behind unreachable.
     */
    public Command unreachableLocalCommits() {
        return git(
                "log",
                "--no-show-signature",
                "--format=%H %s",
                "HEAD",
                "--not",
                "--tags",
                "--branches",
                "--remotes",
                "--glob=" + KEPT_REFS + "*");
    }

    /** Where {@link #keep} puts local commits: {@code refs/flow-upgrade/kept/<time>}. */
    public static final String KEPT_REFS = "refs/flow-upgrade/kept/";

    /** Creates {@code refs/flow-upgrade/kept/<name>} at {@code commit}; fails if that ref exists already. */
    public Command keep(String name, String commit) {
        if (name == null || !name.matches("[0-9A-Za-z][0-9A-Za-z._-]{0,63}") || name.contains("..")) {
            throw new IllegalArgumentException("not a kept ref name: " + name);
        }
        return git("update-ref", KEPT_REFS + name, Inputs.commit(commit), "");
    }

    /**
     * The index entries git was told not to look at ({@code git update-index --skip-worktree} or
     * {@code --assume-unchanged}, also sparse-checkout entries), one {@code git ls-files -v} line each ({@code S path},
     * {@code h path}, {@code s path}). Their local content survives a checkout and hides from {@code git status}.
     * Prints nothing when there are none; fails when git fails. Read-only.
     */
    public Command flaggedFiles() {
        Command all = git("-c", "core.quotePath=false", "ls-files", "-v");
        String tail = ")\" && printf '%s\\n' \"$v\" | sed -n '/^H /!p'";
        return new Command("v=\"$(" + all.line() + tail, "v=\"$(" + all.redacted() + tail);
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
            ReleaseTag.of(revision.substring(prefix.length(), revision.length() - suffix.length()));
            return revision;
        }
        return Inputs.commit(revision);
    }

    /** The tag as the default remote has it now, without fetching: {@code <sha>\trefs/tags/<tag>} lines. */
    public Command remoteTag(ReleaseTag tag) {
        String ref = "refs/tags/" + tag.name();
        return git("ls-remote", "--tags", "origin", ref, ref + "^{}");
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
