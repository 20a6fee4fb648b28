package io.github.flowupgrade.upgrade.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.RecordingAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local work that git itself would overwrite, delete, hide or leave behind during a checkout or a rollback, on real git
 * repositories over the embedded SSH server. Each case was first run without its check: git then exited 0 (or flow
 * failed with exit 4) and the local file or commit was lost or masked.
 */
@Tag("ssh")
class LocalWorkSshTest {
    private static final String SECRET = "SECRET_KEY_BASE=the-admins-own\n";
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    EmbeddedSshServer server;
    GitRepos repos;
    Path live;
    String appUser;
    RecordingAuditLog audit;

    @BeforeEach
    void setUp() {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = dir.resolve("home/live");
        repos = GitRepos.create(dir.resolve("git"), live);
        appUser = System.getProperty("user.name");
        audit = new RecordingAuditLog();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private CheckoutResult run(CheckoutRequest request) {
        CheckoutOperation operation = new CheckoutOperation(
                host -> SshTransport.connect(server.target(appUser), server.settings(), Console.silent()),
                appUser,
                RunAs.of("direct", appUser),
                Duration.ofSeconds(60),
                audit,
                Console.silent(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        List<CheckoutResult> results = operation.run(List.of("127.0.0.1"), request, 1);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private CheckoutResult checkout(String tag) {
        return run(new CheckoutRequest(
                live.toString(), ReleaseTag.ofNullable(tag), null, false, false, "tester@ci", null));
    }

    private CheckoutResult rollback() {
        return run(new CheckoutRequest(live.toString(), null, null, true, false, "tester@ci", null));
    }

    /**
     * Puts the host on a release {@code v4.3.2} whose tracked {@code .gitignore} (Mastodon's has {@code .env.production},
     * {@code public/system} and the like) lists {@code patterns}, checked out by hand as the admin guide does.
     */
    private void onReleaseIgnoring(String... patterns) {
        repos.publish("v4.3.2", Map.of(".gitignore", String.join("\n", patterns) + "\n"), List.of());
        repos.git(live, "fetch", "-q", "--tags");
        repos.git(live, "checkout", "-q", "--detach", "v4.3.2");
    }

    private void assertRefusedAndUntouched(CheckoutResult result, String headBefore) {
        assertThat(result.status()).as(result.error()).isEqualTo("refused");
        assertThat(result.exitCode()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(repos.head()).isEqualTo(headBefore);
        assertThat(repos.git(live, "status", "--porcelain", "--untracked-files=no"))
                .isEmpty();
        assertThat(dir.resolve("home/.flow-upgrade/lock")).doesNotExist();
        assertThat(audit.ofType(AuditEvents.CHECKOUT_FAILED))
                .anySatisfy(
                        e -> assertThat(String.valueOf(e.fields().get("error"))).isEqualTo(result.error()));
    }

    @Test
    void anIgnoredLocalFileThatTheTargetStartsTrackingIsNotOverwritten() throws Exception {
        onReleaseIgnoring(".env.production");
        // Upstream stops ignoring the name and tracks a sample under it.
        repos.publish(
                "v4.3.3",
                Map.of(".gitignore", "/public/system\n", ".env.production", "SECRET_KEY_BASE=upstream-sample\n"),
                List.of());
        Path env = repos.addUntrackedFile(".env.production", SECRET);
        String before = repos.head();

        CheckoutResult result = checkout("v4.3.3");

        // Without the check and --no-overwrite-ignore: exit 0, and the file held upstream's sample.
        assertRefusedAndUntouched(result, before);
        assertThat(result.error())
                .contains("local files that git does not track (ignored or untracked) where v4.3.3")
                .contains("\n  .env.production\n")
                .contains("Nothing was changed");
        assertThat(Files.readString(env)).isEqualTo(SECRET);

        // Moved out of the way, the checkout goes ahead. The file is then tracked: the admin's own content in it is a
        // local change, which a rollback (to a release without the file, so git would delete it) refuses.
        Files.move(env, dir.resolve("env.backup"));
        assertThat(checkout("v4.3.3").status()).isEqualTo("checked-out");
        Files.writeString(env, SECRET);
        String there = repos.head();
        CheckoutResult back = rollback();
        assertThat(back.status()).isEqualTo("refused");
        assertThat(back.error()).contains("local changes").contains(".env.production");
        assertThat(repos.head()).isEqualTo(there);
        assertThat(Files.readString(env)).isEqualTo(SECRET);
    }

    @Test
    void anUntrackedLocalFileThatTheTargetStartsTrackingIsRefusedByName() throws Exception {
        repos.publish("v4.3.2", Map.of("config/local.yml", "upstream: 1\n"), List.of());
        Path local = repos.addUntrackedFile("config/local.yml", "mine: 1\n");
        String before = repos.head();

        CheckoutResult result = checkout("v4.3.2");

        // Without the check git refused by itself, which flow reported as a failed command (exit 4).
        assertRefusedAndUntouched(result, before);
        assertThat(result.error()).contains("\n  config/local.yml\n");
        assertThat(Files.readString(local)).isEqualTo("mine: 1\n");
    }

    @Test
    void ignoredFilesInADirectoryTheTargetTurnsIntoAFileAreNotDeleted() throws Exception {
        onReleaseIgnoring("streaming/.env");
        repos.publish("v4.3.3", Map.of("streaming", "#!/bin/sh\nexec node streaming.js\n"), List.of("streaming"));
        Path env = repos.addUntrackedFile("streaming/.env", SECRET);
        String before = repos.head();

        CheckoutResult result = checkout("v4.3.3");

        // Without the check and --no-overwrite-ignore: exit 0, and streaming/.env was gone.
        assertRefusedAndUntouched(result, before);
        assertThat(result.error()).contains("\n  streaming/.env\n");
        assertThat(Files.readString(env)).isEqualTo(SECRET);
    }

    @Test
    void anIgnoredFileWhereTheTargetNeedsADirectoryIsRefusedByGitAndReportedAsARefusal() throws Exception {
        // The check before the checkout looks at the paths the target adds, not at their parents: here git's own
        // refusal (--no-overwrite-ignore) stops the checkout, and flow reports it as a refusal.
        onReleaseIgnoring("/config/branding");
        repos.publish(
                "v4.3.3", Map.of(".gitignore", "/public/system\n", "config/branding/logo.svg", "<svg/>\n"), List.of());
        Path file = repos.addUntrackedFile("config/branding", SECRET);
        String before = repos.head();

        CheckoutResult result = checkout("v4.3.3");

        // Without --no-overwrite-ignore: exit 0, and the file was replaced by upstream's directory.
        assertRefusedAndUntouched(result, before);
        assertThat(result.error())
                .contains("git refused to check out v4.3.3")
                .contains("config/branding")
                .contains("back on its previous commit");
        assertThat(Files.readString(file)).isEqualTo(SECRET);
    }

    @Test
    void aRollbackNeverOverwritesALocalFileThePreviousReleaseTracked() throws Exception {
        // v4.3.3 stops tracking config/application.rb and ignores it: the admin then keeps their own copy.
        onReleaseIgnoring("/public/system");
        repos.publish(
                "v4.3.3",
                Map.of(".gitignore", "/public/system\n/config/application.rb\n"),
                List.of("config/application.rb"));
        assertThat(checkout("v4.3.3").status()).isEqualTo("checked-out");
        Path own = repos.addUntrackedFile("config/application.rb", SECRET);
        String before = repos.head();

        CheckoutResult back = rollback();

        // Without the check and --no-overwrite-ignore: exit 0, and the file held v4.3.2's copy.
        assertRefusedAndUntouched(back, before);
        assertThat(back.error()).contains("\n  config/application.rb\n").contains("v4.3.2");
        assertThat(Files.readString(own)).isEqualTo(SECRET);
    }

    @Test
    void aFileMarkedSkipWorktreeIsRefusedInsteadOfRunningHiddenUnderTheNewRelease() throws Exception {
        repos.git(live, "update-index", "--skip-worktree", "config/application.rb");
        byte[] patched = repos.dirtyTrackedFile("config/application.rb");
        String before = repos.head();
        assertThat(repos.git(live, "status", "--porcelain"))
                .as("git status hides it")
                .isEmpty();

        CheckoutResult result = checkout("v4.3.1");

        // Without the check: exit 0 on v4.3.1, which does not change the file, so the local patch stayed, unseen.
        assertRefusedAndUntouched(result, before);
        assertThat(result.error())
                .contains("tracked files that git was told not to look at")
                .contains("\n  S config/application.rb\n")
                .contains("--no-skip-worktree");
        assertThat(Files.readAllBytes(live.resolve("config/application.rb"))).isEqualTo(patched);
    }

    @Test
    void aFileMarkedAssumeUnchangedIsRefusedForCheckoutAndRollback() throws Exception {
        assertThat(checkout("v4.3.0").status()).isEqualTo("checked-out");
        repos.git(live, "update-index", "--assume-unchanged", "package.json");
        byte[] pinned = repos.dirtyTrackedFile("package.json");
        String before = repos.head();
        assertThat(repos.git(live, "status", "--porcelain"))
                .as("git status hides it")
                .isEmpty();

        CheckoutResult result = checkout("v4.3.1");

        // Without the check: exit 0 on v4.3.1, which does not change the file, so the local change stayed, unseen.
        assertRefusedAndUntouched(result, before);
        assertThat(result.error()).contains("\n  h package.json\n").contains("--no-assume-unchanged");
        assertThat(Files.readAllBytes(live.resolve("package.json"))).isEqualTo(pinned);

        CheckoutResult back = rollback();
        // Without the check: v4.2.0 has another package.json, and git refused by itself (exit 4).
        assertRefusedAndUntouched(back, before);
        assertThat(back.error()).contains("\n  h package.json\n");
        assertThat(Files.readAllBytes(live.resolve("package.json"))).isEqualTo(pinned);
    }

    @Test
    void localCommitsAreRefusedUnlessKeptAndThenStayReachableUnderAFlowRef() {
        repos.dirtyTrackedFile("app/models/status.rb");
        repos.git(live, "commit", "-q", "-a", "-m", "Local hotfix for \u001b[31mstatus\u001b[0m");
        repos.dirtyTrackedFile("config/application.rb");
        repos.git(live, "commit", "-q", "-a", "-m", "Local config");
        String local = repos.head();
        String hotfix = repos.git(live, "rev-parse", "HEAD~1");

        CheckoutResult refused = checkout("v4.3.1");

        // Without the check git left both commits behind (--quiet hid its warning), and flow exited 0.
        assertRefusedAndUntouched(refused, local);
        assertThat(refused.error())
                .contains("has 2 local commits that no tag or branch reaches")
                .contains("  " + local + " Local config")
                .contains(hotfix + " Local hotfix for ?[31mstatus?[0m")
                .doesNotContain("\u001b")
                .contains("keep-local-commits");

        CheckoutResult kept = run(new CheckoutRequest(
                live.toString(), ReleaseTag.of("v4.3.1"), null, false, false, "tester@ci", null, true));

        assertThat(kept.status()).as(kept.error()).isEqualTo("checked-out");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        String ref = "refs/flow-upgrade/kept/20261123T100000Z";
        assertThat(kept.kept()).isEqualTo(new KeptCommits(ref, List.of(local, hotfix)));
        assertThat(repos.git(live, "rev-parse", ref)).isEqualTo(local);
        assertThat(kept.toMap())
                .containsEntry("keptLocalCommits", Map.of("ref", ref, "commits", List.of(local, hotfix)));
        assertThat(audit.ofType(AuditEvents.CHECKOUT_COMPLETED))
                .singleElement()
                .satisfies(e -> assertThat(e.fields())
                        .containsEntry("keptRef", ref)
                        .containsEntry("keptCommits", List.of(local, hotfix)));

        // Kept commits are reachable: back on them, a checkout needs no option and keeps nothing new.
        repos.git(live, "checkout", "-q", "--detach", local);
        CheckoutResult again = checkout("v4.3.1");
        assertThat(again.status()).as(again.error()).isEqualTo("checked-out");
        assertThat(again.kept()).isNull();
        assertThat(again.toMap()).containsEntry("keptLocalCommits", null);
    }

    @Test
    void localCommitsOnABranchAreReachableAndNotRefused() {
        repos.git(live, "checkout", "-q", "-b", "local-fixes", "v4.2.0");
        repos.dirtyTrackedFile("app/models/status.rb");
        repos.git(live, "commit", "-q", "-a", "-m", "Local hotfix");
        String local = repos.head();

        CheckoutResult result = checkout("v4.3.1");

        assertThat(result.status()).as(result.error()).isEqualTo("checked-out");
        assertThat(result.kept()).isNull();
        assertThat(repos.git(live, "rev-parse", "refs/heads/local-fixes")).isEqualTo(local);
    }
}
