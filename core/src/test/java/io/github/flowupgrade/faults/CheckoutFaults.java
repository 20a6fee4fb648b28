package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.ReleaseTag;
import io.github.flowupgrade.commands.RunAs;
import io.github.flowupgrade.remote.SshTransport;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.RecordingAuditLog;
import io.github.flowupgrade.upgrade.checkout.CheckoutOperation;
import io.github.flowupgrade.upgrade.checkout.CheckoutRequest;
import io.github.flowupgrade.upgrade.checkout.CheckoutResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A host for the fault tests: an embedded SSH server running the real {@code /bin/sh} and real git repositories (an
 * upstream with release tags, the working tree at v4.2.0 with an untracked local file that must survive), plus the
 * checks every fault row makes afterwards.
 */
final class CheckoutFaults implements AutoCloseable {
    static final String LOCAL_FILE = ".env.production";
    static final String LOCAL_CONTENT = "SECRET_KEY_BASE=kept-across-faults\n";

    final Path dir;
    final EmbeddedSshServer server;
    final GitRepos repos;
    final Path live;
    final String user = System.getProperty("user.name");
    final RecordingAuditLog audit = new RecordingAuditLog();

    CheckoutFaults(Path dir) {
        this(dir, dir.resolve("home/live"));
    }

    CheckoutFaults(Path dir, Path live) {
        this.dir = dir;
        this.live = live;
        this.server = EmbeddedSshServer.start(dir.resolve("server"));
        this.repos = GitRepos.create(dir.resolve("git"), live);
        repos.addUntrackedFile(LOCAL_FILE, LOCAL_CONTENT);
    }

    CheckoutResult checkout(String tag, Duration commandTimeout, boolean forceUnlock) {
        CheckoutOperation operation = new CheckoutOperation(
                host -> SshTransport.connect(server.target(user), server.settings(), Console.silent()),
                user,
                RunAs.of("direct", user),
                commandTimeout,
                audit,
                Console.silent(),
                Clock.systemUTC());
        List<CheckoutResult> results = operation.run(
                List.of("127.0.0.1"),
                new CheckoutRequest(
                        live.toString(), ReleaseTag.ofNullable(tag), null, false, forceUnlock, "faults@ci", "build-9"),
                1);
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    CheckoutResult checkout(String tag) {
        return checkout(tag, Duration.ofSeconds(30), false);
    }

    Path lockDir() {
        return live.resolveSibling(".flow-upgrade").resolve("lock");
    }

    /** The host is on one of the release commits (never in between), and the local file is byte for byte intact. */
    void assertHostIntact(String... allowedTags) throws Exception {
        Set<String> allowed = new java.util.HashSet<>();
        for (String tag : allowedTags) {
            allowed.add(repos.commitOf(tag));
        }
        assertThat(allowed).as("HEAD must be a release commit").contains(repos.head());
        assertThat(repos.git(live, "status", "--porcelain", "--untracked-files=no"))
                .as("no tracked file changed")
                .isEmpty();
        assertThat(Files.readString(live.resolve(LOCAL_FILE))).isEqualTo(LOCAL_CONTENT);
    }

    /** The audit trail records the failure with the same message the user saw. */
    void assertAuditSaysFailed(CheckoutResult result) {
        assertThat(audit.types()).contains(AuditEvents.CHECKOUT_STARTED, AuditEvents.CHECKOUT_FAILED);
        assertThat(audit.ofType(AuditEvents.CHECKOUT_FAILED))
                .anySatisfy(e -> assertThat(String.valueOf(e.fields())).contains(firstLine(result.error())));
    }

    static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 60 ? line.substring(0, 60) : line;
    }

    @Override
    public void close() {
        server.close();
    }
}
