package io.github.flowupgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.cli.FlowCommand;
import io.github.flowupgrade.testing.EmbeddedSshServer;
import io.github.flowupgrade.testing.GitRepos;
import io.github.flowupgrade.testing.LocalProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault matrix rows about the {@code flow} process itself: a second run against a host while the first holds it, the
 * CLI killed with SIGKILL in the middle of a checkout (the next run reports the stale lock, {@code --force-unlock}
 * recovers), and SIGINT (a clean stop). The first run is a real {@code flow checkout} in a child JVM against an
 * embedded SSH server and real git repositories; git's post-checkout hook on the host holds it mid-run.
 */
@Tag("ssh")
class InterruptedRunTest {
    private static final String HOLD_SECONDS = "3391";

    @TempDir
    Path dir;

    EmbeddedSshServer server;
    GitRepos repos;
    Path live;
    Path hookStarted;
    Path hookPid;
    final String user = System.getProperty("user.name");

    @BeforeEach
    void setUp() throws Exception {
        server = EmbeddedSshServer.start(dir.resolve("server"));
        live = dir.resolve("home/live");
        repos = GitRepos.create(dir.resolve("git"), live);
        repos.addUntrackedFile(".env.production", "SECRET_KEY_BASE=kept\n");
        hookStarted = dir.resolve("hook-started");
        hookPid = dir.resolve("hook.pid");
        Path hook = live.resolve(".git/hooks/post-checkout");
        Files.createDirectories(hook.getParent());
        // Holds the checkout on the host, once, long enough to act on the client in the middle of the run.
        Files.writeString(
                hook,
                "#!/bin/sh\n[ -e " + hookStarted + " ] && exit 0\necho $$ > " + hookPid + "\ntouch " + hookStarted
                        + "\nexec sleep " + HOLD_SECONDS + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception {
        // The hook's sleep is ours: end it by its recorded PID if the run left it behind.
        if (Files.exists(hookPid)) {
            String pid = Files.readString(hookPid).strip();
            LocalProcess.attempt(null, java.util.Map.of(), "kill", pid);
        }
        server.close();
    }

    private List<String> args(Path auditLog, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "checkout",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(server.port()),
                "--login",
                user,
                "--app-user",
                user,
                "--dir",
                live.toString(),
                "--identity",
                server.clientKey().privateKey().toString(),
                "--known-hosts",
                server.knownHosts().toString(),
                "--tag",
                "v4.3.1",
                "--actor",
                "first@ci",
                "--audit-log",
                auditLog.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private Process startCli(Path auditLog) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FlowCommand.class.getName()));
        command.addAll(args(auditLog));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("first-run.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(hookStarted)) {
            assertThat(process.isAlive())
                    .as("the first run ended early: %s", Files.readString(dir.resolve("first-run.log")))
                    .isTrue();
            assertThat(System.nanoTime())
                    .as("the first run reached the checkout")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        return process;
    }

    record Run(int code, String out, String err) {}

    private static Run flow(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aSecondRunIsRefusedAndAKilledRunLeavesAStaleLockThatForceUnlockRecovers() throws Exception {
        Path firstTrail = dir.resolve("first.jsonl");
        Process first = startCli(firstTrail);

        Run second = flow(args(dir.resolve("second.jsonl")));
        assertThat(second.code()).as(second.err()).isEqualTo(3);
        assertThat(second.out() + second.err())
                .contains("is locked by another run")
                .contains("first@ci")
                .contains("checkout v4.3.1");

        first.destroyForcibly(); // SIGKILL: no finally block runs in the first process
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isEqualTo(137);
        LocalProcess.attempt(
                null, java.util.Map.of(), "kill", Files.readString(hookPid).strip());

        // HEAD moved before post-checkout ran: the host is on a release commit either way, local files intact.
        assertThat(List.of(repos.commitOf("v4.2.0"), repos.commitOf("v4.3.1"))).contains(repos.head());
        assertThat(live.resolve(".env.production")).content().isEqualTo("SECRET_KEY_BASE=kept\n");

        Run stale = flow(args(dir.resolve("third.jsonl")));
        assertThat(stale.code()).as(stale.err()).isEqualTo(3);
        assertThat(stale.out() + stale.err())
                .contains("is locked by another run")
                .contains("first@ci")
                .contains("--force-unlock");

        // The killed run's trail says it never finished.
        Run verify = flow(List.of("audit", "verify", firstTrail.toString()));
        assertThat(verify.out() + verify.err()).containsIgnoringCase("unfinished");
        assertThat(Files.readString(firstTrail))
                .contains(AuditEvents.RUN_STARTED)
                .contains(AuditEvents.LOCK_ACQUIRED)
                .doesNotContain(AuditEvents.RUN_FINISHED);

        Run forced = flow(args(dir.resolve("forced.jsonl"), "--force-unlock"));
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(repos.head()).isEqualTo(repos.commitOf("v4.3.1"));
        assertThat(live.resolveSibling(".flow-upgrade").resolve("lock")).doesNotExist();
        assertThat(Files.readString(dir.resolve("forced.jsonl"))).contains(AuditEvents.LOCK_FORCED);
    }

    @Test
    void sigintStopsTheRunCleanlyAndReleasesTheLock() throws Exception {
        Path trail = dir.resolve("interrupted.jsonl");
        Process first = startCli(trail);

        LocalProcess.run("kill", "-INT", Long.toString(first.pid()));
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stops after SIGINT").isTrue();
        String log = Files.readString(dir.resolve("first-run.log"));

        assertThat(first.exitValue()).as(log).isNotZero();
        assertThat(log).contains("interrupted");
        assertThat(live.resolveSibling(".flow-upgrade").resolve("lock"))
                .as("lock released on SIGINT; log: %s", log)
                .doesNotExist();
        assertThat(List.of(repos.commitOf("v4.2.0"), repos.commitOf("v4.3.1"))).contains(repos.head());
        assertThat(Files.readString(trail)).contains(AuditEvents.RUN_FINISHED).contains("interrupted");
    }
}
