package io.github.flowupgrade.upgrade.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.audit.AuditLog;
import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.GitCommands;
import io.github.flowupgrade.commands.HistoryCommands;
import io.github.flowupgrade.commands.Inputs;
import io.github.flowupgrade.commands.LockCommands;
import io.github.flowupgrade.commands.PathCommands;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.RecordedTransport;
import io.github.flowupgrade.remote.ExecResult;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin guide's {@code git fetch --tags && git checkout vX.Y.Z}, on one host, made safe: the working tree must be
 * the application user's and unmodified (local changes are never discarded, stashed or overwritten), the host is
 * locked while it runs, a tag that moved upstream or points at an unexpected commit is refused, and {@code HEAD} is
 * verified afterwards. Any failure after the fetch leaves the host on the commit it ran before, and the error says
 * so. A completed checkout is appended to the host's history, which a rollback reads.
 */
public final class Checkout {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostShell shell;
    private final CheckoutRequest request;
    private final AuditLog audit;
    private final Console console;
    private final Clock clock;
    private final GitCommands git;
    private final HistoryCommands history;
    private final LockUse lockUse;
    private final String holderOverride;
    private String holder;
    private String step = "connecting";
    private Revision previous;
    private boolean movedHead;
    private HostLock kept;

    /** How a checkout treats the host's lock (one per host: {@link HostLock#stateDir}). */
    public enum LockUse {
        /** Takes the lock with its first commands and releases it with its last ({@code flow checkout}). */
        OWN,
        /** Takes the lock and leaves it held for the caller, which gets it from {@link #keptLock()}. */
        KEEP,
        /** The caller holds the lock already: no lock commands at all. */
        HELD
    }

    public Checkout(HostShell shell, CheckoutRequest request, Clock clock) {
        this(shell, request, clock, LockUse.OWN, null);
    }

    /**
     * @param holder with {@link LockUse#KEEP}, the caller's holder line for the lock (null: the checkout's own)
     */
    public Checkout(HostShell shell, CheckoutRequest request, Clock clock, LockUse lockUse, String holder) {
        this.lockUse = lockUse;
        this.holderOverride = holder;
        this.shell = shell;
        this.request = request;
        this.audit = shell.audit();
        this.console = shell.console();
        this.clock = clock;
        this.git = new GitCommands(request.dir());
        this.history = new HistoryCommands(request.stateDir());
    }

    /** Runs the checkout; every outcome, failures included, comes back as a result. */
    public CheckoutResult run() {
        return run(null);
    }

    /**
     * With the lock held ({@link LockUse#HELD}) and the tags fetched by the caller: the commands of the checkout's
     * first round trip (its checks of the user, the owner and the working tree, the current commit and tags, the
     * target's commit, the flagged files and the local commits), for the caller to send at the end of a round trip
     * of its own (the pre-flight checks'). Their results go to {@link #run(List)}: one round trip fewer.
     */
    public List<HostShell.Step> firstSteps() {
        if (lockUse != LockUse.HELD || request.rollback()) {
            throw new IllegalStateException("only a checkout under a held lock to a fetched tag sends its reads along");
        }
        return shell.appSteps(firstBatch(false));
    }

    /**
     * Runs the checkout with the results of {@link #firstSteps()}, which the caller sent (null: it sends its first
     * round trip itself, as {@link #run()}).
     */
    public CheckoutResult run(List<ExecResult> firstResults) {
        long started = System.nanoTime();
        Map<String, Object> startFields = hostFields();
        startFields.put("tag", request.tag() == null ? null : request.tag().name());
        startFields.put("rollback", request.rollback());
        startFields.put("dir", request.dir());
        audit.record(AuditEvents.CHECKOUT_STARTED, startFields);
        try {
            CheckoutResult result = checkOut(started, firstResults);
            Map<String, Object> fields = hostFields();
            fields.put("status", result.status());
            fields.put("previousCommit", previous == null ? null : previous.commit());
            fields.put(
                    "commit", result.current() == null ? null : result.current().commit());
            fields.put("tag", result.current() == null ? null : result.current().tag());
            fields.put(
                    "changed",
                    result.changed() == null ? null : result.changed().toMap());
            if (result.kept() != null) {
                fields.put("keptRef", result.kept().ref());
                fields.put("keptCommits", result.kept().commits());
            }
            audit.record(AuditEvents.CHECKOUT_COMPLETED, fields);
            return result;
        } catch (FlowException e) {
            Map<String, Object> fields = hostFields();
            fields.put("step", step);
            fields.put("error", e.getMessage());
            fields.put("exitCode", e.exitCode().code());
            audit.record(AuditEvents.CHECKOUT_FAILED, fields);
            console.warn("[" + shell.host() + "] " + e.getMessage());
            return new CheckoutResult(
                    shell.host(),
                    previous,
                    previous,
                    null,
                    millisSince(started),
                    statusOf(e),
                    e.getMessage(),
                    e.exitCode().code());
        }
    }

    // The first batch: checks, lock (unless held), state, fetch. Indexes of its commands.
    private static final int USER = 0;
    private static final int OWNER = 1;
    private static final int WORK_TREE = 2;
    private int lockAt = -1;
    private int changesAt;
    private int headAt;
    private int tagsAt;
    private int fetchAt;
    private int resolveAt;
    private int flaggedAt;
    private int localCommitsAt;

    /** Whether the run failed while taking the host's lock (held by another run, or the lock could not be made). */
    public boolean failedAtLock() {
        return step.equals(TAKING_THE_LOCK) || step.equals(REMOVING_A_STALE_LOCK);
    }

    private static final String TAKING_THE_LOCK = "taking the lock";
    private static final String REMOVING_A_STALE_LOCK = "removing a stale lock";

    /** With {@link LockUse#KEEP}, the lock this checkout took and left held (also after a failure), else null. */
    public HostLock keptLock() {
        return kept;
    }

    /**
     * Two round trips when all is well: one batch checks the host, takes the lock, reads the current commit and
     * fetches; a second one checks out, verifies, records and unlocks. Every decision between them is made here, and
     * a required check that fails on the host stops its batch there, so nothing runs after a failed check.
     */
    private CheckoutResult checkOut(long started, List<ExecResult> given) {
        LockCommands lockCommands = new LockCommands(request.stateDir());
        String holderLine = holder();
        boolean takes = lockUse != LockUse.HELD;
        if (takes && request.forceUnlock()) {
            step = REMOVING_A_STALE_LOCK;
            HostLock.removeStale(shell, lockCommands);
        }
        step = "checking the host";
        Batch first = firstBatch(given == null);
        List<ExecResult> results;
        try {
            results = given != null ? given : shell.app(first);
        } catch (RecordedTransport.BatchLostException e) {
            // Cut off after the lock was taken: it stays on the host, and the error must say so.
            if (lockAt >= 0 && e.succeeded(lockAt)) {
                HostLock lock = HostLock.taken(shell, lockCommands, holderLine);
                throw afterFailure(lock, e);
            }
            throw e;
        }
        HostLock lock = lockAt >= 0
                        && results.get(lockAt) != null
                        && results.get(lockAt).succeeded()
                ? HostLock.taken(shell, lockCommands, holderLine)
                : null;
        CheckoutResult result;
        try {
            checkHost(results);
            if (takes && lock == null) {
                step = TAKING_THE_LOCK;
                throw HostLock.refusal(shell, lockCommands, holderLine, results.get(lockAt));
            }
            result = underLock(started, results, lockCommands, lock);
        } catch (FlowException e) {
            throw lock == null ? e : afterFailure(lock, e);
        }
        if (lockUse == LockUse.KEEP) {
            kept = lock;
        } else if (lock != null) {
            step = "releasing the lock";
            lock.close();
        }
        return result;
    }

    /** The lock's holder line, made once: the line taken is the line released. */
    private String holder() {
        if (holder == null) {
            holder = holderOverride != null
                    ? holderOverride
                    : HostLock.holderLine(request.actor(), request.build(), request.purpose(), clock.instant());
        }
        return holder;
    }

    /**
     * The first round trip's commands, their indexes noted: checks, the lock (unless held), state, the fetch (unless
     * the caller fetched: {@code fetches} false) and the target's commit.
     */
    private Batch firstBatch(boolean fetches) {
        String appUser = shell.runAs().appUser();
        Batch first = new Batch()
                .require(PathCommands.whoamiIs(appUser))
                .require(PathCommands.ownerIs(request.dir(), appUser))
                .require(git.isWorkTree());
        int at = 3;
        lockAt = -1;
        if (lockUse != LockUse.HELD) {
            lockAt = at++;
            first.require(new LockCommands(request.stateDir()).acquire(holder()));
        }
        changesAt = at++;
        headAt = at++;
        tagsAt = at++;
        first.require(git.noTrackedChanges()).require(git.head()).run(git.tagsAtHead());
        fetchAt = -1;
        if (!request.rollback()) {
            if (fetches) {
                fetchAt = at++;
                first.require(git.fetchTags());
            }
            resolveAt = at++;
            first.run(git.tagCommit(request.tag()));
        }
        // Read-only, after the fetch: a commit upstream has is not local work.
        flaggedAt = at++;
        localCommitsAt = at;
        first.run(git.flaggedFiles()).run(git.unreachableLocalCommits());
        return first;
    }

    /** A failure with the lock taken: released, or with {@link LockUse#KEEP} left to the caller. */
    private FlowException afterFailure(HostLock lock, FlowException failure) {
        if (lockUse == LockUse.KEEP) {
            kept = lock;
            return failure;
        }
        return lock.releaseAfter(failure);
    }

    /** The user commands run as, the working tree's owner, and that it is a working tree at all. */
    private void checkHost(List<ExecResult> results) {
        if (!shell.executes()) {
            return;
        }
        String appUser = shell.runAs().appUser();
        step = "checking the user commands run as";
        ExecResult user = results.get(USER);
        String who = user.stdout().strip();
        if (!user.succeeded()) {
            if (who.isEmpty()) {
                throw shell.failure(step, PathCommands.whoami(), user);
            }
            throw FlowException.refused("commands on " + shell.host() + " run as " + Inputs.printable(who)
                    + ", not as the application user " + appUser + " (check " + Option.LOGIN.named() + ", "
                    + Option.AS.named() + " and " + Option.APP_USER.named() + ")");
        }
        step = "checking the working tree";
        ExecResult owner = results.get(OWNER);
        String owns = owner.stdout().strip();
        if (!owner.succeeded()) {
            if (owns.isEmpty()) {
                throw FlowException.refused(request.dir() + " on " + shell.host() + " cannot be read as " + appUser
                        + ": " + owner.stderrTail().strip() + " (check " + Option.DIR.named() + ")");
            }
            throw FlowException.refused(request.dir() + " on " + shell.host() + " belongs to "
                    + Inputs.printable(owns) + ", not to the application user " + appUser
                    + "; refusing to change a working tree that user does not own");
        }
        ExecResult workTree = results.get(WORK_TREE);
        if (!workTree.succeeded() || !workTree.stdout().strip().equals("true")) {
            throw FlowException.refused(request.dir() + " on " + shell.host() + " is not a git working tree: "
                    + workTree.stderrTail().strip());
        }
    }

    private CheckoutResult underLock(long started, List<ExecResult> results, LockCommands lockCommands, HostLock lock) {
        step = "checking for local changes";
        ExecResult changes = results.get(changesAt);
        if (!changes.succeeded()) {
            if (!changes.stdout().isBlank()) {
                throw FlowException.refused(request.dir() + " on " + shell.host() + " has local changes to tracked"
                        + " files, which a checkout could overwrite:\n" + indent(changes.stdout())
                        + "\nNothing was changed. Commit, move or revert them on the host (flow never discards,"
                        + " stashes or overwrites local work), then run again.");
            }
            throw shell.failure(step, git.trackedChanges(), changes);
        }
        step = "reading the current commit";
        ExecResult headResult = results.get(headAt);
        if (!headResult.succeeded()) {
            throw shell.failure(step, git.head(), headResult);
        }
        String head = headResult.stdout().strip();
        String headTag = RunningRelease.highest(results.get(tagsAt).stdout());
        previous = new Revision(shell.executes() ? head : null, headTag);

        Revision target = request.rollback()
                ? rollbackTarget()
                : fetchedTarget(fetchAt < 0 ? null : results.get(fetchAt), results.get(resolveAt));
        // Both ran after the fetch, which the target's checks above found to have succeeded.
        refuseFlaggedFiles(results.get(flaggedAt));
        List<String> localCommits = localCommits(results.get(localCommitsAt));
        if (!shell.executes()) {
            return dryRunRest(started, target);
        }
        if (target.commit().equals(head)) {
            console.info("[" + shell.host() + "] already on " + target.display() + "; nothing to check out");
            return new CheckoutResult(
                    shell.host(), previous, target, ChangedAreas.NONE, millisSince(started), "unchanged", null, 0);
        }
        KeptCommits kept = null;
        Command keep = null;
        if (!localCommits.isEmpty()) {
            String name = KEPT_NAME.format(clock.instant());
            kept = new KeptCommits(
                    GitCommands.KEPT_REFS + name,
                    localCommits.stream().map(l -> l.split(" ", 2)[0]).toList());
            keep = git.keep(name, head);
        }
        // The checks of the target's files go with the checkout: they need its commit, which a rollback learns late.
        Batch second = new Batch()
                .require(git.changedPaths(head, target.commit()))
                .require(git.noUntrackedFilesInTheWay(head, target.commit()));
        int checkoutAt = 2;
        if (keep != null) {
            second.require(keep);
            checkoutAt++;
        }
        second.require(git.checkoutDetached(target.commit()))
                .require(git.headIs(target.commit()))
                .require(history.append(historyLine(target)));
        boolean releases = lockUse == LockUse.OWN;
        if (releases) {
            second.require(lockCommands.release());
        }
        ChangedAreas changed;
        List<ExecResult> done;
        try {
            step = "checking out " + target.display();
            // Until the results say otherwise (a lost connection says nothing), HEAD may have moved.
            movedHead = true;
            done = shell.app(second);
            ExecResult diff = done.get(0);
            if (!diff.succeeded()) {
                movedHead = false;
                step = "listing what changed";
                throw shell.failure(step, git.changedPaths(head, target.commit()), diff);
            }
            changed = ChangedAreas.of(lines(diff.stdout()));
            refuseFilesInTheWay(done.get(1), head, target);
            if (keep != null && !done.get(2).succeeded()) {
                movedHead = false;
                step = "keeping the local commits";
                throw shell.failure(step, keep, done.get(2));
            }
            ExecResult checkout = done.get(checkoutAt);
            if (!checkout.succeeded()) {
                throw checkoutFailure(target, checkout);
            }
            step = "verifying HEAD";
            ExecResult verified = done.get(checkoutAt + 1);
            if (!verified.succeeded()) {
                String now = verified.stdout().strip();
                if (now.isEmpty()) {
                    throw shell.failure(step, git.head(), verified);
                }
                throw FlowException.refused(
                        "after the checkout HEAD on " + shell.host() + " is " + now + ", not " + target.commit());
            }
            step = "recording the checkout in the history";
            ExecResult recorded = done.get(checkoutAt + 2);
            if (!recorded.succeeded()) {
                throw shell.failure(step, history.append(historyLine(target)), recorded);
            }
        } catch (FlowException e) {
            throw restorePrevious(e);
        }
        if (releases) {
            step = "releasing the lock";
            lock.releasedBy(done.get(checkoutAt + 3));
        }
        console.info("[" + shell.host() + "] checked out " + target.display() + " (was " + previous.display() + ")");
        if (kept != null) {
            console.info("[" + shell.host() + "] kept " + count(kept.commits().size(), "local commit") + " under "
                    + kept.ref());
        }
        return new CheckoutResult(
                shell.host(), previous, target, changed, millisSince(started), "checked-out", null, 0, kept);
    }

    /**
     * Refuses index entries marked {@code --skip-worktree} or {@code --assume-unchanged}: {@code git status} does not
     * show their local changes, and a checkout keeps them where the target does not change the file, so the host
     * would run a mix of two releases while the run reports success.
     */
    private void refuseFlaggedFiles(ExecResult flagged) {
        step = "checking for files git does not look at";
        if (!shell.executes()) {
            return;
        }
        if (!flagged.succeeded()) {
            throw shell.failure(step, git.flaggedFiles(), flagged);
        }
        List<String> entries = lines(flagged.stdout());
        if (!entries.isEmpty()) {
            throw FlowException.refused(request.dir() + " on " + shell.host() + " has tracked files that git was told"
                    + " not to look at (S: git update-index --skip-worktree, lower case: --assume-unchanged). git"
                    + " status does not show their local changes, and a checkout keeps such changes where the new"
                    + " release does not change the file: the host would run a mix of two releases:\n"
                    + listed(entries, 20)
                    + "\nNothing was changed. Clear the mark (git update-index --no-skip-worktree or"
                    + " --no-assume-unchanged FILE), then commit, move or revert the change, and run again.");
        }
    }

    /** The local commits {@code HEAD} has that no tag, branch or kept ref reaches, newest first. */
    private List<String> localCommits(ExecResult result) {
        step = "checking for local commits";
        if (!shell.executes()) {
            return List.of();
        }
        if (!result.succeeded()) {
            throw shell.failure(step, git.unreachableLocalCommits(), result);
        }
        List<String> commits = lines(result.stdout());
        if (!commits.isEmpty() && !request.keepLocalCommits()) {
            String first = commits.get(0).split(" ", 2)[0];
            throw FlowException.refused("HEAD on " + shell.host() + " has " + count(commits.size(), "local commit")
                    + " that no tag or branch reaches:\n" + listed(commits, 10)
                    + "\nA checkout would leave " + (commits.size() == 1 ? "it" : "them") + " behind, unreachable"
                    + " (git gc deletes such commits later). Nothing was changed. Put a branch on them (git -C "
                    + request.dir() + " branch NAME " + first + ") or push them somewhere, or run again with "
                    + Option.KEEP_LOCAL_COMMITS.set() + " to keep them under " + GitCommands.KEPT_REFS + "<time>.");
        }
        return commits;
    }

    /** The name of the ref that keeps local commits reachable: {@code refs/flow-upgrade/kept/<UTC time>}. */
    private static final DateTimeFormatter KEPT_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Refuses when untracked or ignored local files stand where the target has files (the check ran before). */
    private void refuseFilesInTheWay(ExecResult inTheWay, String head, Revision target) {
        if (inTheWay.succeeded()) {
            return;
        }
        movedHead = false;
        step = "checking for local files in the way";
        List<String> files = lines(inTheWay.stdout());
        if (files.isEmpty()) {
            throw shell.failure(step, git.noUntrackedFilesInTheWay(head, target.commit()), inTheWay);
        }
        throw FlowException.refused(request.dir() + " on " + shell.host() + " has local files that git does not track"
                + " (ignored or untracked) where " + target.display() + " has files of its own; checking it out would"
                + " overwrite or delete them:\n" + listed(files, 20)
                + "\nNothing was changed. Move them out of the way (keep a copy if they matter), then run again: flow"
                + " never overwrites or deletes a local file.");
    }

    /** A failed checkout; git's own refusal to overwrite or delete local files is a refusal, not a failure. */
    private FlowException checkoutFailure(Revision target, ExecResult checkout) {
        String stderr = checkout.stderrTail() == null ? "" : checkout.stderrTail();
        if (!checkout.timedOut()
                && (stderr.contains("untracked working tree files would be")
                        || stderr.contains("would lose untracked files")
                        || stderr.contains("local changes to the following files would be"))) {
            return FlowException.refused("git refused to check out " + target.display() + " on " + shell.host()
                    + " because it would overwrite or delete local files:\n" + indent(stderr)
                    + "\nMove them out of the way (keep a copy if they matter), then run again.");
        }
        return shell.failure(step, git.checkoutDetached(target.commit()), checkout);
    }

    private static String listed(List<String> lines, int max) {
        List<String> shown = lines.stream()
                .limit(max)
                .map(l -> "  " + l.replaceAll("\\p{Cntrl}", "?"))
                .toList();
        String more = lines.size() > max ? "\n  ... and " + (lines.size() - max) + " more" : "";
        return String.join("\n", shown) + more;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** @param fetch the fetch's result, or null when the caller fetched (its failure stopped it before this) */
    private Revision fetchedTarget(ExecResult fetch, ExecResult resolved) {
        String tag = request.tag().name();
        step = "fetching tags";
        if (fetch != null && !fetch.succeeded()) {
            if (fetch.stderrTail().contains("would clobber existing tag")) {
                throw FlowException.refused("a tag changed upstream on " + shell.host() + ": git refused to move the"
                        + " local tag (no --force is ever used):\n" + indent(fetch.stderrTail())
                        + "\nA published release tag should never move: find out why it did before going on. The"
                        + " host is still on " + previous.display() + ".");
            }
            throw withPosition(shell.failure(step, git.fetchTags(), fetch));
        }
        step = "resolving " + tag;
        if (!shell.executes()) {
            return new Revision(null, tag);
        }
        String commit = resolved.stdout().strip();
        if (!resolved.succeeded() || commit.isEmpty()) {
            throw FlowException.refused("tag " + tag + " does not exist in " + request.dir() + " on " + shell.host()
                    + " after fetching (is it published upstream?). The host is still on " + previous.display()
                    + ".");
        }
        if (request.expectCommit() != null && !commit.startsWith(request.expectCommit())) {
            throw FlowException.refused("tag " + tag + " on " + shell.host() + " points at " + commit
                    + ", not at the expected commit " + request.expectCommit()
                    + " (" + Option.EXPECT_COMMIT.named() + "). Refusing to check it out. The host is still on "
                    + previous.display()
                    + ".");
        }
        return new Revision(commit, tag);
    }

    /** How many of the history's last lines a rollback reads: the last checkout and the migrations after it. */
    private static final int HISTORY_LINES = 200;

    private Revision rollbackTarget() {
        step = "reading the checkout history";
        String tail = shell.appOutput(history.last(HISTORY_LINES), step).strip();
        if (!shell.executes()) {
            return new Revision(null, null);
        }
        if (tail.isEmpty()) {
            throw FlowException.refused("no checkout is recorded on " + shell.host() + " (" + history.historyFile()
                    + "): nothing to roll back to");
        }
        // The last checkout (or rollback) record is the one to undo; migration records after it mean the schema
        // moved on since the commit a rollback would return to (unless a restore undid them).
        RollbackHistory read;
        try {
            read = RollbackHistory.read(tail);
        } catch (RollbackHistory.Unreadable e) {
            throw FlowException.refused("line " + e.fromEnd + " from the end of " + history.historyFile() + " on "
                    + shell.host() + " is not a history record; refusing to guess where to roll back to");
        }
        JsonNode entry = read.checkout();
        List<JsonNode> migrations = read.migrations();
        if (entry == null) {
            throw FlowException.refused("no checkout is recorded in the last " + HISTORY_LINES + " lines of "
                    + history.historyFile() + " on " + shell.host() + ": nothing to roll back to");
        }
        String recorded = entry.path("commit").asText("");
        String back = entry.path("previousCommit").asText("");
        String backTag = entry.path("previousTag").isTextual()
                ? entry.path("previousTag").asText()
                : null;
        if (!recorded.equals(previous.commit())) {
            throw FlowException.refused(shell.host() + " is on " + previous.display() + ", but the last recorded"
                    + " checkout went to " + recorded + ": the host changed since, refusing to roll back");
        }
        if (!back.matches("[0-9a-f]{40}")) {
            throw FlowException.refused("the last checkout record on " + shell.host() + " has no previous commit");
        }
        if (!migrations.isEmpty()) {
            throw migratedSince(entry, migrations, backTag != null ? backTag : back, read.restoredElsewhere());
        }
        step = "checking the rollback commit";
        ExecResult exists = shell.app(git.commitExists(back));
        if (!exists.succeeded()) {
            throw FlowException.refused("commit " + back + " is no longer in " + request.dir() + " on " + shell.host()
                    + "; cannot roll back. The host is still on " + previous.display() + ".");
        }
        // The history file is the host's: a tag read back from it is checked before it goes into a command.
        if (ReleaseTag.isValid(backTag)) {
            String tagged =
                    shell.app(git.tagCommit(ReleaseTag.of(backTag))).stdout().strip();
            if (!tagged.equals(back)) {
                throw FlowException.refused("tag " + backTag + " on " + shell.host() + " now points at "
                        + (tagged.isEmpty() ? "nothing" : tagged) + ", not at the recorded " + back
                        + "; refusing to roll back. The host is still on " + previous.display() + ".");
            }
        } else {
            backTag = null;
        }
        return new Revision(back, backTag);
    }

    /**
     * The refusal of a rollback after migrations: moving the code back alone would run old code on the new schema.
     * Names the backup taken before the first of those migrations, the way back.
     */
    private FlowException migratedSince(
            JsonNode checkout, List<JsonNode> migrations, String back, String restoredElsewhere) {
        JsonNode first = migrations.get(0);
        String backup = null;
        for (JsonNode m : migrations) {
            if (backup == null && m.path("backup").isTextual()) {
                backup = m.path("backup").asText();
            }
        }
        String at = checkout.path("tag").isTextual() ? checkout.path("tag").asText() : previous.display();
        StringBuilder message = new StringBuilder("refusing to roll back " + shell.host() + ": database migrations ran"
                + " since it was checked out at " + at + " (" + migrations.size() + " migration task(s), the first, `"
                + Inputs.printable(first.path("task").asText("?")) + "`, at "
                + first.path("at").asText("?")
                + "). Returning the code to " + back + " would run the old code on the new schema, which is unsafe."
                + " Nothing was changed.");
        if (restoredElsewhere != null) {
            message.append("\nThe database was restored since from ")
                    .append(Inputs.printable(restoredElsewhere))
                    .append(", which was not taken with the code a rollback returns to: check out the release that"
                            + " backup belongs to by its tag instead (docs/checkout.md, \"Restoring a backup\").");
        } else if (backup != null) {
            message.append("\nThe backup taken before those migrations is ")
                    .append(Inputs.printable(backup))
                    .append(" on ")
                    .append(shell.host())
                    .append(". To go back: stop the services, restore it, then check out ")
                    .append(back)
                    .append(" (docs/checkout.md, \"Restoring a backup\"). Or finish the upgrade instead.");
        } else {
            message.append("\nflow took no backup before them (it was turned off): restore your own backup from"
                            + " before the upgrade, with the services stopped, then check out ")
                    .append(back)
                    .append("; or finish the upgrade instead.");
        }
        return FlowException.refused(message.toString());
    }

    /** A dry run has no commits to compare: it shows the remaining commands with the tag's ref in their place. */
    private CheckoutResult dryRunRest(long started, Revision target) {
        if (target.tag() != null) {
            String ref = ReleaseTag.of(target.tag()).commitRevision();
            shell.app(git.changedPaths("HEAD", ref));
            shell.app(git.noUntrackedFilesInTheWay("HEAD", ref));
            shell.app(git.checkoutDetached(ref));
            shell.app(git.head());
        }
        return new CheckoutResult(shell.host(), null, target, null, millisSince(started), "dry-run", null, 0);
    }

    private String historyLine(Revision target) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("operation", request.rollback() ? "rollback" : "checkout");
        entry.put("previousCommit", previous.commit());
        entry.put("previousTag", previous.tag());
        entry.put("commit", target.commit());
        entry.put("tag", target.tag());
        entry.put("actor", request.actor());
        entry.put("build", request.build());
        try {
            return JSON.writeValueAsString(entry);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** After a failure that may have moved HEAD, puts the previous commit back and says where the host is. */
    private FlowException restorePrevious(FlowException failure) {
        if (!movedHead) {
            return withPosition(failure);
        }
        try {
            String now = shell.appOutput(git.head(), "reading HEAD").strip();
            String note = "";
            if (!now.equals(previous.commit())) {
                ExecResult back = shell.app(git.checkoutDetached(previous.commit()));
                now = shell.appOutput(git.head(), "reading HEAD").strip();
                if (!now.equals(previous.commit())) {
                    return new FlowException(
                            failure.exitCode(),
                            failure.getMessage() + "\nReturning to " + previous.display() + " FAILED: the host is on "
                                    + now + ". Check " + request.dir() + " on " + shell.host() + " by hand.");
                }
                if (!back.succeeded()) {
                    // HEAD moved back, but something after it (a hook, the time limit) failed: say so.
                    note = " (git checkout back reported "
                            + (back.timedOut() ? "a timeout" : "exit status " + back.exitCode())
                            + "; check the working tree with git status)";
                }
            }
            return new FlowException(
                    failure.exitCode(),
                    failure.getMessage() + "\nThe host is back on its previous commit " + previous.display() + note
                            + ".",
                    failure);
        } catch (FlowException e) {
            return new FlowException(
                    failure.exitCode(),
                    failure.getMessage() + "\nCould not check where the host is (" + e.getMessage() + "): it is on "
                            + previous.display() + " or on the target; check " + request.dir() + " on "
                            + shell.host() + " (git -C " + request.dir() + " rev-parse HEAD).",
                    failure);
        }
    }

    private FlowException withPosition(FlowException failure) {
        if (previous == null
                || previous.commit() == null
                || failure.getMessage().contains("still on")) {
            return failure;
        }
        return new FlowException(
                failure.exitCode(),
                failure.getMessage() + "\nThe host is still on " + previous.display() + ".",
                failure);
    }

    private static String statusOf(FlowException e) {
        return switch (e.exitCode()) {
            case REFUSED, BAD_INPUT -> "refused";
            case NETWORK -> "unreachable";
            default -> "failed";
        };
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static String indent(String text) {
        return lines(text).stream()
                .map(l -> "  " + l)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    private Map<String, Object> hostFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        return fields;
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
