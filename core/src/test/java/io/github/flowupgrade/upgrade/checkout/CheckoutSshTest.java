package io.github.flowupgrade.upgrade.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.SshTarget;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.RecordingAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkouts over the embedded SSH server on real git repositories (commands run as the JVM's user). */
@Tag("ssh")
class CheckoutSshTest {
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

    private CheckoutOperation operation() {
        return new CheckoutOperation(
                host -> host.equals("127.0.0.1")
                        ? SshTransport.connect(server.target(appUser), server.settings(), Console.silent())
                        : SshTransport.connect(new SshTarget(host, 1, appUser), server.settings(), Console.silent()),
                appUser,
                RunAs.of("direct", appUser),
                Duration.ofSeconds(60),
                audit,
                Console.silent(),
                Clock.systemUTC());
    }

    private CheckoutResult checkout(String tag) {
        return checkout(new CheckoutRequest(
                live.toString(), ReleaseTag.ofNullable(tag), null, false, false, "tester@ci", "build-7"));
    }

    private CheckoutResult checkout(CheckoutRequest request) {
        List<CheckoutResult> results = operation().run(List.of("127.0.0.1"), request, 1);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private Path lockDir() {
        return dir.resolve("home/.flow-upgrade/lock");
    }

    @Test
    void upgradesAcrossSeveralTagsAndReportsWhatChanged() throws Exception {
        Path env = repos.addUntrackedFile(".env.production", "SECRET_KEY_BASE=untouched\n");

        CheckoutResult patch = checkout("v4.2.1");
        assertThat(patch.status()).isEqualTo("checked-out");
        assertThat(patch.previous()).isEqualTo(new Revision(repos.commitOf("v4.2.0"), "v4.2.0"));
        assertThat(patch.current()).isEqualTo(new Revision(repos.commitOf("v4.2.1"), "v4.2.1"));
        assertThat(patch.changed()).isEqualTo(ChangedAreas.NONE);

        CheckoutResult minor = checkout("v4.3.0");
        assertThat(minor.changed())
                .isEqualTo(new ChangedAreas(true, true, true, true, true, List.of("streaming/index.js")));
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.0"));

        CheckoutResult next = checkout("v4.3.1");
        assertThat(next.toMap())
                .containsEntry("host", "127.0.0.1")
                .containsEntry("status", "checked-out")
                .containsEntry("previous", Map.of("commit", repos.commitOf("v4.3.0"), "tag", "v4.3.0"))
                .containsEntry("current", Map.of("commit", repos.commitOf("v4.3.1"), "tag", "v4.3.1"))
                .containsEntry(
                        "changed",
                        Map.of(
                                "streaming", false,
                                "migrations", true,
                                "rubyDependencies", true,
                                "nodeDependencies", false,
                                "assets", false,
                                "streamingPaths", List.of()));
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        assertThat(repos.git(live, "status", "--porcelain", "--untracked-files=no"))
                .isEmpty();
        assertThat(Files.readString(env)).isEqualTo("SECRET_KEY_BASE=untouched\n");
        assertThat(lockDir()).doesNotExist();
        assertThat(Files.readAllLines(dir.resolve("home/.flow-upgrade/history")))
                .hasSize(3);

        CheckoutResult again = checkout("v4.3.1");
        assertThat(again.status()).isEqualTo("unchanged");

        assertThat(audit.types())
                .contains(
                        AuditEvents.CHECKOUT_STARTED,
                        AuditEvents.LOCK_ACQUIRED,
                        AuditEvents.COMMAND,
                        AuditEvents.LOCK_RELEASED,
                        AuditEvents.CHECKOUT_COMPLETED)
                .doesNotContain(AuditEvents.CHECKOUT_FAILED);
        assertThat(audit.ofType(AuditEvents.COMMAND))
                .allSatisfy(e -> assertThat(e.fields())
                        .containsKeys("host", "user", "login", "command", "exitCode", "outputSha256"));
    }

    @Test
    void refusesADirtyTrackedFileAndLeavesItByteForByte() throws Exception {
        byte[] patched = repos.dirtyTrackedFile("app/models/status.rb");
        String before = repos.head();

        CheckoutResult result = checkout("v4.3.1");

        assertThat(result.status()).isEqualTo("refused");
        assertThat(result.exitCode()).isEqualTo(ExitCode.REFUSED.code());
        assertThat(result.error()).contains("local changes").contains("app/models/status.rb");
        assertThat(Files.readAllBytes(live.resolve("app/models/status.rb"))).isEqualTo(patched);
        assertThat(repos.head()).isEqualTo(before);
        assertThat(repos.git(live, "stash", "list")).isEmpty();
        assertThat(lockDir()).doesNotExist();
        assertThat(audit.types()).contains(AuditEvents.CHECKOUT_FAILED);
    }

    @Test
    void refusesWhileAnotherRunHoldsTheLockAndForceUnlockRemovesIt() throws Exception {
        Files.createDirectories(lockDir());
        Files.writeString(
                lockDir().resolve("holder"), "held by alice@laptop since 2026-11-23T10:00:00Z for checkout v4.3.0\n");

        CheckoutResult refused = checkout("v4.3.1");
        assertThat(refused.status()).isEqualTo("refused");
        assertThat(refused.error())
                .contains("is locked by another run")
                .contains("alice@laptop")
                .contains("force-unlock");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));

        CheckoutResult forced = checkout(
                new CheckoutRequest(live.toString(), ReleaseTag.of("v4.3.1"), null, false, true, "bob@ci", null));
        assertThat(forced.status()).isEqualTo("checked-out");
        assertThat(audit.ofType(AuditEvents.LOCK_FORCED))
                .singleElement()
                .satisfies(e ->
                        assertThat(e.fields().get("previousHolder").toString()).contains("alice@laptop"));
        assertThat(lockDir()).doesNotExist();
    }

    @Test
    void refusesATagThatMovedUpstream() {
        String before = repos.head();
        repos.moveTagUpstream("v4.3.1", "v4.2.1");

        CheckoutResult result = checkout("v4.3.1");

        assertThat(result.status()).isEqualTo("refused");
        assertThat(result.error())
                .contains("tag changed upstream")
                .contains("would clobber existing tag")
                .contains("still on v4.2.0");
        assertThat(repos.head()).isEqualTo(before);
        assertThat(lockDir()).doesNotExist();
    }

    @Test
    void checksTheExpectedCommit() {
        String good = repos.commitOf("v4.3.1");
        CheckoutResult mismatch = checkout(new CheckoutRequest(
                live.toString(), ReleaseTag.of("v4.3.1"), repos.commitOf("v4.3.0"), false, false, "tester", null));
        assertThat(mismatch.status()).isEqualTo("refused");
        assertThat(mismatch.error()).contains("not at the expected commit").contains(good);
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.0"));

        CheckoutResult match = checkout(
                new CheckoutRequest(live.toString(), ReleaseTag.of("v4.3.1"), good, false, false, "tester", null));
        assertThat(match.status()).isEqualTo("checked-out");
    }

    @Test
    void aConnectionLostAsTheCheckoutStartsLeavesTheHostOnOneOfTheTwoCommitsAndSaysHowToCheck() {
        String before = repos.head();
        server.dropConnectionWhen(command -> command.contains("checkout --quiet --detach"));

        CheckoutResult lost = checkout("v4.3.1");

        assertThat(lost.status()).isEqualTo("unreachable");
        assertThat(lost.exitCode()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(lost.error())
                .contains("connection to 127.0.0.1:" + server.port() + " was lost")
                .contains("checkout --quiet --detach")
                .contains("Could not check where the host is")
                .contains("rev-parse HEAD")
                .contains("is still held")
                .contains("force-unlock");
        // The link died as git checkout started: like sshd, the server let it finish, so the host is on the target,
        // never in between, and the run said it could not tell which.
        assertThat(repos.head()).isIn(before, repos.commitOf("v4.3.1"));
        assertThat(lockDir().resolve("holder")).content().contains("tester@ci").contains("checkout v4.3.1");

        server.dropConnectionWhen(command -> false);
        CheckoutResult locked = checkout("v4.3.1");
        assertThat(locked.error()).contains("is locked by another run").contains("tester@ci");

        CheckoutResult forced = checkout(
                new CheckoutRequest(live.toString(), ReleaseTag.of("v4.3.1"), null, false, true, "tester@ci", null));
        assertThat(forced.status()).isIn("checked-out", "unchanged");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        assertThat(lockDir()).doesNotExist();
    }

    @Test
    void rollsBackToTheCommitBeforeTheLastCheckout() {
        checkout("v4.3.0");
        checkout("v4.3.1");

        CheckoutResult back = checkout(new CheckoutRequest(live.toString(), null, null, true, false, "tester", null));

        assertThat(back.status()).isEqualTo("checked-out");
        assertThat(back.current()).isEqualTo(new Revision(repos.commitOf("v4.3.0"), "v4.3.0"));
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.0"));
    }

    @Test
    void rollbackRefusesWhenTheHostChangedSince() {
        checkout("v4.3.0");
        repos.git(live, "checkout", "-q", "--detach", "v4.2.1");

        CheckoutResult back = checkout(new CheckoutRequest(live.toString(), null, null, true, false, "tester", null));

        assertThat(back.status()).isEqualTo("refused");
        assertThat(back.error()).contains("the host changed since");
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.2.1"));
    }

    @Test
    void oneUnreachableHostDoesNotStopTheOthers() {
        CheckoutRequest request =
                new CheckoutRequest(live.toString(), ReleaseTag.of("v4.3.1"), null, false, false, "tester", null);

        List<CheckoutResult> results = operation().run(List.of("127.0.0.2", "127.0.0.1"), request, 2);

        assertThat(results).extracting(CheckoutResult::host).containsExactly("127.0.0.2", "127.0.0.1");
        assertThat(results).extracting(CheckoutResult::status).containsExactly("unreachable", "checked-out");
        assertThat(CheckoutOperation.exitCode(results)).isEqualTo(ExitCode.NETWORK.code());
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
    }

    @Test
    void refusesADirectoryThatIsNotAWorkingTree() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("home/plain"));
        CheckoutResult result = checkout(
                new CheckoutRequest(plain.toString(), ReleaseTag.of("v4.3.1"), null, false, false, "tester", null));
        assertThat(result.status()).isEqualTo("refused");
        assertThat(result.error()).contains("is not a git working tree");
    }
}
