package io.github.flowupgrade.testing;

import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's OpenSSH {@code sshd}, started for a test on a free port of 127.0.0.1 with its own configuration, ed25519
 * host key and authorized keys, and stopped at the end. Users are real system users (created if missing, their
 * accounts unlocked for key login since {@code UsePAM no} refuses locked ones) with homes under the server's base
 * directory. The base directory is under {@code /var/lib} because sshd's StrictModes refuses key files below a
 * world-writable directory such as {@code /tmp}.
 *
 * <p>Needs root and {@code openssh-server}. Without them the test is aborted with a clear message, or fails when the
 * {@code CI} environment variable is set (CI must run every suite).
 */
public final class OpenSshServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path BASE = Path.of("/var/lib/flow-upgrade-tests");

    private final Path dir;
    private final SshKeys hostKey;
    private final SshKeys clientKey;
    private final Path knownHosts;
    private final int port;
    private final Process process;
    private final List<String> sudoersFiles;
    private Thread shutdownHook;
    private boolean closed;

    private OpenSshServer(
            Path dir,
            SshKeys hostKey,
            SshKeys clientKey,
            Path knownHosts,
            int port,
            Process process,
            List<String> sudoersFiles) {
        this.dir = dir;
        this.hostKey = hostKey;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
        this.port = port;
        this.process = process;
        this.sudoersFiles = sudoersFiles;
    }

    /** Aborts (or, under CI, fails) the test unless this machine can run the server. */
    public static void requireAvailable() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            missing = "root (to create users and start sshd)";
        } else if (!Files.isExecutable(SSHD)) {
            missing = "openssh-server (" + SSHD + ")";
        }
        if (missing != null) {
            String message = "this test needs root and openssh-server; missing: " + missing;
            if (System.getenv("CI") != null) {
                Assertions.fail(message + " (CI is set, so it must run)");
            }
            Assumptions.abort(message);
        }
    }

    /** Whether sudo is installed (the sudo mode tests need it; .ci/run installs it). */
    public static void requireSudo() {
        if (!Files.isExecutable(Path.of("/usr/bin/sudo"))) {
            String message = "this test needs sudo (apt-get install sudo)";
            if (System.getenv("CI") != null) {
                Assertions.fail(message + " (CI is set, so it must run)");
            }
            Assumptions.abort(message);
        }
    }

    /**
     * Starts sshd allowing key logins for {@code users} (created if missing, {@code root} allowed too when listed).
     *
     * @param sudoRules sudoers lines installed for the server's lifetime, such as {@code flowdeploy ALL=(flowapp)
     *     NOPASSWD: ALL}
     */
    public static OpenSshServer start(List<String> users, List<String> sudoRules) {
        return start(users, sudoRules, null, null);
    }

    /**
     * Like {@link #start(List, List)}, with {@code hostKey} as the server's host key (a new one when null) and, when
     * {@code hostCertificate} is not null, that certificate of it offered to clients (sshd's {@code HostCertificate}).
     */
    public static OpenSshServer start(
            List<String> users, List<String> sudoRules, SshKeys givenHostKey, Path hostCertificate) {
        requireAvailable();
        try {
            Files.createDirectories(BASE);
            Path dir = BASE.resolve(UUID.randomUUID().toString().substring(0, 8));
            Files.createDirectories(dir);
            LocalProcess.run("chmod", "755", BASE.toString(), dir.toString());
            Files.createDirectories(dir.resolve("etc"));
            SshKeys hostKey =
                    givenHostKey != null ? givenHostKey : SshKeys.generate(dir.resolve("etc"), "ssh_host_ed25519_key");
            SshKeys clientKey = SshKeys.generate(dir.resolve("client"), "id_ed25519");
            Path keys = dir.resolve("authorized");
            Files.createDirectories(keys);
            for (String user : users) {
                if (!user.equals("root")) {
                    ensureUser(user, dir.resolve("home").resolve(user));
                }
                Path file = keys.resolve(user);
                Files.writeString(file, clientKey.publicLine() + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            LocalProcess.run(
                    "chmod", "755", keys.toString(), dir.resolve("home").toString());
            List<String> sudoers = new ArrayList<>();
            if (!sudoRules.isEmpty()) {
                Path file = Path.of("/etc/sudoers.d/flow-upgrade-test-" + dir.getFileName());
                Files.writeString(file, String.join("\n", sudoRules) + "\n");
                LocalProcess.run("chmod", "440", file.toString());
                sudoers.add(file.toString());
            }
            int port = freePort();
            Path config = dir.resolve("etc/sshd_config");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "Port " + port,
                            "ListenAddress 127.0.0.1",
                            "HostKey " + hostKey.privateKey(),
                            hostCertificate == null ? "" : "HostCertificate " + hostCertificate,
                            "PidFile " + dir.resolve("sshd.pid"),
                            "PubkeyAuthentication yes",
                            "PasswordAuthentication no",
                            "KbdInteractiveAuthentication no",
                            "UsePAM no",
                            "PermitRootLogin " + (users.contains("root") ? "prohibit-password" : "no"),
                            "AllowUsers " + String.join(" ", users),
                            "StrictModes yes",
                            "AuthorizedKeysFile " + keys + "/%u",
                            "LogLevel VERBOSE",
                            ""));
            Files.createDirectories(Path.of("/run/sshd"));
            LocalProcess.run("chmod", "755", "/run/sshd");
            LocalProcess.run(SSHD.toString(), "-t", "-f", config.toString());
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, hostKey.knownHostsLine("127.0.0.1", port) + "\n");
            OpenSshServer server = new OpenSshServer(dir, hostKey, clientKey, knownHosts, port, process, sudoers);
            // A test JVM that is stopped early must not leave sshd listening or the sudoers rules behind.
            Thread cleanup = new Thread(server::close, "openssh-fixture-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            server.shutdownHook = cleanup;
            try {
                server.awaitListening();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start OpenSSH sshd", e);
        }
    }

    private static void ensureUser(String user, Path home) throws IOException {
        Files.createDirectories(home);
        if (LocalProcess.attempt(null, Map.of(), "id", "-u", user).exitCode() != 0) {
            LocalProcess.run("useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", user);
        } else {
            LocalProcess.run("usermod", "-d", home.toString(), "-s", "/bin/sh", user);
        }
        // useradd leaves the password locked ("!"), and with UsePAM no sshd refuses keys for locked accounts.
        LocalProcess.run("usermod", "-p", "*", user);
        LocalProcess.run("chown", user + ":", home.toString());
        LocalProcess.run("chmod", "755", home.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited: " + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("sshd did not listen on " + port + ": " + log());
    }

    /** sshd's own log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public int port() {
        return port;
    }

    /** The base directory of this server (users' homes are in {@code home/<user>}). */
    public Path dir() {
        return dir;
    }

    /** The home directory given to {@code user}. */
    public Path home(String user) {
        return dir.resolve("home").resolve(user);
    }

    public SshKeys hostKey() {
        return hostKey;
    }

    public SshKeys clientKey() {
        return clientKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    public SshTarget target(String login) {
        return new SshTarget("127.0.0.1", port, login);
    }

    /** Client settings with host key verification through this server's known_hosts file. */
    public ConnectionSettings settings() {
        return new ConnectionSettings(
                SshIdentity.fromFile(clientKey.privateKey(), null),
                new HostKeyPolicy.KnownHosts(knownHosts),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it will find this server closed
            }
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String file : sudoersFiles) {
            try {
                Files.deleteIfExists(Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        LocalProcess.run("rm", "-rf", dir.toString());
    }
}
