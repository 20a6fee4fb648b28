package io.github.flowupgrade.testing;

import io.github.flowupgrade.remote.ConnectionSettings;
import io.github.flowupgrade.remote.HostKeyPolicy;
import io.github.flowupgrade.remote.SshIdentity;
import io.github.flowupgrade.remote.SshTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.shell.ProcessShellFactory;

/**
 * An SSH server inside the test JVM (Apache MINA sshd) on a free port of 127.0.0.1 that runs each command with the
 * real {@code /bin/sh -c}, as the JVM's user. Its ed25519 host key and the client key are generated per server; the
 * server's fingerprint and a known_hosts file are at hand so clients verify the host key as in production. Any login
 * name is accepted with the client key. A test can make it drop the connection when a given command arrives.
 */
public final class EmbeddedSshServer implements AutoCloseable {
    private final SshServer server;
    private final SshKeys hostKey;
    private final SshKeys clientKey;
    private final Path knownHosts;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile Predicate<String> dropWhen = command -> false;
    private volatile Path toolsFirst;

    private EmbeddedSshServer(SshServer server, SshKeys hostKey, SshKeys clientKey, Path knownHosts) {
        this.server = server;
        this.hostKey = hostKey;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    /** Starts a server whose keys and known_hosts file live in {@code dir}. */
    public static EmbeddedSshServer start(Path dir) {
        try {
            SshKeys hostKey = SshKeys.generate(dir.resolve("host"), "ssh_host_ed25519_key");
            SshKeys clientKey = SshKeys.generate(dir.resolve("client"), "id_ed25519");
            Path authorized = dir.resolve("authorized_keys");
            Files.writeString(authorized, clientKey.publicLine() + "\n");

            SshServer sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(0);
            sshd.setKeyPairProvider(new FileKeyPairProvider(hostKey.privateKey()));
            sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorized));
            CoreModuleProperties.TCP_NODELAY.set(sshd, true);
            Path knownHosts = dir.resolve("known_hosts");
            EmbeddedSshServer fixture = new EmbeddedSshServer(sshd, hostKey, clientKey, knownHosts);
            sshd.setCommandFactory(fixture::command);
            sshd.addSessionListener(new SessionListener() {
                @Override
                public void sessionCreated(Session session) {
                    fixture.sessions.incrementAndGet();
                }
            });
            sshd.start();
            Files.writeString(knownHosts, hostKey.knownHostsLine("127.0.0.1", sshd.getPort()) + "\n");
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded SSH server", e);
        }
    }

    private Command command(ChannelSession channel, String line) throws IOException {
        commands.add(line);
        DropMidBatch midway = DropMidBatch.of(line, dropWhen);
        if (midway != null) {
            return midway;
        }
        if (dropWhen.test(line)) {
            // The whole connection goes, as when a network link dies, before the command runs.
            channel.getSession().close(true);
            return new ProcessShellFactory("true", "/bin/true").createShell(channel);
        }
        Path tools = toolsFirst;
        String run = tools == null ? line : "PATH=" + tools + ":$PATH; export PATH; " + line;
        return new ProcessShellFactory(run, "/bin/sh", "-c", run).createShell(channel);
    }

    public int port() {
        return server.getPort();
    }

    public String hostKeyFingerprint() {
        return hostKey.fingerprint();
    }

    public SshKeys hostKey() {
        return hostKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    public SshKeys clientKey() {
        return clientKey;
    }

    /** Where to connect, with any login name (commands run as the JVM's user anyway). */
    public SshTarget target(String login) {
        return new SshTarget("127.0.0.1", port(), login);
    }

    /** Client settings with host key verification through this server's known_hosts file. */
    public ConnectionSettings settings() {
        return new ConnectionSettings(
                SshIdentity.fromFile(clientKey.privateKey(), null),
                new HostKeyPolicy.KnownHosts(knownHosts),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5));
    }

    /** Every command line received so far, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** SSH sessions (connections) opened so far. */
    public int connections() {
        return sessions.get();
    }

    /**
     * Drops the whole connection when a command matching {@code condition} arrives, instead of running it; within a
     * batch of commands sent as one script, as the first matching command starts (the ones before it complete).
     */
    public void dropConnectionWhen(Predicate<String> condition) {
        this.dropWhen = condition;
    }

    /**
     * Commands find the programs in {@code dir} first (stand-ins for {@code systemctl}, {@code sudo}, {@code curl}):
     * the search path of every command started from now on begins with it. {@link #commands()} still shows each line
     * as the client sent it.
     */
    public void putToolsFirst(Path dir) {
        this.toolsFirst = dir;
    }

    /** Drops every open connection now, as a dying network link would, whatever its commands are doing. */
    public void dropAllConnections() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
