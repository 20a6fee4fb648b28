package io.github.flowupgrade.remote;

import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.TimeLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.PasswordUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands over one SSH connection to one host (sshj): one session channel per command, TCP_NODELAY on the socket (a
 * command on a reused connection then takes milliseconds instead of waiting for delayed ACKs), keepalive so a dead peer
 * is noticed, the host key verified as {@link HostKeyPolicy} says. Callers put each command's time limit into its line
 * (coreutils {@code timeout} on the host, {@code TimeLimit}); if the host stops answering, the channel is closed
 * locally a little after the limit.
 */
public final class SshTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(SshTransport.class);
    /** How long after the remote limit (and its kill delay) the channel is given up locally. */
    private static final Duration LOCAL_GRACE = Duration.ofSeconds(TimeLimit.KILL_AFTER_SECONDS + 5);

    /**
     * One sshj configuration for every connection of the process: building one tries out every cipher sshj knows
     * (key schedules, GCM tables), which cost each connection milliseconds of CPU; it is only read afterwards.
     */
    private static final class SharedConfig {
        static final DefaultConfig INSTANCE = create();

        private static DefaultConfig create() {
            DefaultConfig config = new DefaultConfig();
            config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
            // AES-GCM on the JDK's AES-NI code first: sshj's own ciphers run in BouncyCastle's plain Java
            // (JdkAesGcm).
            config.setCipherFactories(JdkAesGcm.inFrontOf(config.getCipherFactories()));
            // Host keys and certificates are judged by HostKeyCheck, as OpenSSH judges them: sshj's certificate check
            // would fail the handshake (exit 5) before the key could be refused (exit 3) or accepted by its pin.
            config.setVerifyHostKeyCertificates(false);
            config.setKeyAlgorithms(HostKeyAlgorithms.inOpenSshOrder(config.getKeyAlgorithms()));
            return config;
        }
    }

    /**
     * Builds the shared configuration on a thread of its own, for a process that will connect soon: registering
     * BouncyCastle and trying out every cipher take a new JVM a tenth of a second and more, which then overlaps with
     * the rest of its start (options, keys, audit trail) instead of coming before the first connection. A connect
     * that comes first waits for it (class initialisation); nothing else changes.
     */
    public static void prepare() {
        Thread thread = new Thread(() -> SharedConfig.INSTANCE.getKeyAlgorithms(), "ssh-config");
        thread.setDaemon(true);
        thread.start();
    }

    private static final ScheduledExecutorService CONNECT_GUARD =
            Executors.newSingleThreadScheduledExecutor(daemon("ssh-connect-guard"));

    private final SshTarget target;
    private final SSHClient client;
    private final ExecutorService readers;
    private final ScheduledExecutorService watchdog;

    /** Open transports of this process, for {@link #stopRunningCommands()}. */
    private static final Set<SshTransport> OPEN = ConcurrentHashMap.newKeySet();

    private final AtomicInteger stops = new AtomicInteger();
    private volatile Session current;
    /** A session channel opened while the previous command ran, for the next one ({@link #takeSession}). */
    private volatile Future<Session> spare;

    private SshTransport(SshTarget target, SSHClient client) {
        this.target = target;
        this.client = client;
        this.readers = Executors.newCachedThreadPool(daemon("ssh-stderr-" + target.host()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("ssh-watchdog-" + target.host()));
        OPEN.add(this);
    }

    /**
     * Stops the command each open transport is running (SIGINT): its channel is closed and its {@link #run} fails
     * with {@code NETWORK} saying it was interrupted. The connections stay up, so the caller can still release its
     * lock and record what happened; later commands run normally.
     */
    public static void stopRunningCommands() {
        for (SshTransport transport : OPEN) {
            transport.stops.incrementAndGet();
            Session session = transport.current;
            if (session != null) {
                closeQuietly(session);
            }
        }
    }

    private FlowException stopped(Command command) {
        return Interruption.stopped("`" + command.redacted() + "` on " + target.display());
    }

    /**
     * Connects, verifies the host key and authenticates.
     *
     * @throws FlowException {@code REFUSED} for an untrusted host key, {@code NETWORK} when the host cannot be reached
     *     or refuses the key
     */
    public static SshTransport connect(SshTarget target, ConnectionSettings settings, Console console) {
        if (settings.hostKeys() instanceof HostKeyPolicy.AcceptAnyInsecure) {
            console.warn("WARNING: host key verification is OFF for " + target.display()
                    + " (" + Option.ACCEPT_ANY_HOST_KEY.named()
                    + "): anyone between you and the host can impersonate it and"
                    + " read everything sent. Pin the host key with " + Option.HOST_KEY.named()
                    + " SHA256:... instead.");
        }
        SSHClient client = new SSHClient(SharedConfig.INSTANCE);
        client.setSocketFactory(new NoDelaySocketFactory());
        client.setConnectTimeout((int) settings.connectTimeout().toMillis());
        client.getTransport().setTimeoutMs((int) settings.connectTimeout().toMillis());
        HostKeyCheck check = new HostKeyCheck(
                target, settings.hostKeys(), SharedConfig.INSTANCE.getKeyAlgorithms(), Clock.systemUTC());
        client.addHostKeyVerifier(check);
        // sshj waits for the server's greeting without a time limit: a peer that accepts TCP and never speaks would
        // hang the run, so the whole connect-and-login is guarded.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> guard = CONNECT_GUARD.schedule(
                () -> {
                    expired.set(true);
                    closeSocket(client);
                },
                settings.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            connectAndLogIn(client, check, target, settings, expired);
        } finally {
            guard.cancel(false);
        }
        LOG.debug("connected to {} as {}", target.display(), target.login());
        SshTransport transport = new SshTransport(target, client);
        transport.openSpare();
        return transport;
    }

    private static void connectAndLogIn(
            SSHClient client,
            HostKeyCheck check,
            SshTarget target,
            ConnectionSettings settings,
            AtomicBoolean expired) {
        try {
            client.connect(target.host(), target.port());
        } catch (TransportException e) {
            closeQuietly(client);
            if (check.refusal() != null) {
                throw check.refusal();
            }
            if (interrupted(e)) {
                throw Interruption.stop("connecting to " + target.display());
            }
            throw FlowException.network(
                    "SSH to " + target.display() + " failed during the handshake: "
                            + (expired.get() ? timedOut(settings) : describe(e)),
                    e);
        } catch (IOException e) {
            closeQuietly(client);
            if (interrupted(e)) {
                throw Interruption.stop("connecting to " + target.display());
            }
            throw FlowException.network(
                    "cannot connect to " + target.display() + ": "
                            + (expired.get() ? timedOut(settings) : describe(e))
                            + " (check the host name, the port and that sshd runs there)",
                    e);
        }
        try {
            client.getConnection().getKeepAlive().setKeepAliveInterval((int)
                    Math.max(1, settings.keepAlive().toSeconds()));
            client.authPublickey(target.login(), loadKey(client, settings.identity()));
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw FlowException.network(
                    "SSH login as " + target.login() + " on " + target.display()
                            + " was refused with " + settings.identity().describe()
                            + " (is its public key in ~" + target.login() + "/.ssh/authorized_keys?)",
                    e);
        } catch (FlowException e) {
            closeQuietly(client);
            throw e;
        } catch (IOException e) {
            closeQuietly(client);
            if (interrupted(e)) {
                throw Interruption.stop("logging in to " + target.display());
            }
            throw FlowException.network(
                    "SSH login on " + target.display() + " failed: "
                            + (expired.get() ? timedOut(settings) : describe(e)),
                    e);
        }
    }

    /** Whether a failure came from an interrupt of this thread (sshj wraps it, and may leave the flag set). */
    private static boolean interrupted(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String timedOut(ConnectionSettings settings) {
        return "no answer within the " + settings.connectTimeout().toSeconds() + " s connect timeout";
    }

    private static void closeSocket(SSHClient client) {
        Socket socket = client.getSocket();
        if (socket != null) {
            closeQuietly(socket);
        }
    }

    private static KeyProvider loadKey(SSHClient client, SshIdentity identity) {
        char[] passphrase = identity.passphrase();
        PasswordFinder finder = passphrase == null ? null : PasswordUtils.createOneOff(passphrase);
        try {
            KeyProvider key = identity.file() != null
                    ? client.loadKeys(identity.file().toString(), finder)
                    : client.loadKeys(identity.content(), null, finder);
            key.getPrivate(); // decrypts now, so a wrong passphrase is reported as such and not as a refused login
            return key;
        } catch (IOException | RuntimeException e) {
            // The library's message may quote key material; only the source of the key is named.
            throw FlowException.badInput("cannot load the private SSH key (" + identity.describe() + "): "
                    + (passphrase == null
                            ? "not a readable private key, or it needs a passphrase"
                            : "wrong passphrase" + " or not a readable private key"));
        }
    }

    @Override
    public String host() {
        return target.host();
    }

    public SshTarget target() {
        return target;
    }

    @Override
    public boolean executes() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>An interrupt of the calling thread (an aborted build) or {@link #stopRunningCommands()} closes the channel
     * and fails with {@link Interruption.Stopped}; an interrupt clears the thread's flag so the run can still clean
     * up over this connection ({@link Interruption}).
     */
    @Override
    public ExecResult run(Command command, OutputSink sink, Duration timeout) {
        if (Thread.currentThread().isInterrupted()) {
            throw Interruption.stop("`" + command.redacted() + "` on " + target.display());
        }
        OutputCollector output = new OutputCollector(sink);
        long started = System.nanoTime();
        AtomicBoolean abandoned = new AtomicBoolean();
        int stopsBefore = stops.get();
        Session session;
        try {
            session = takeSession();
            current = session;
        } catch (IOException | IllegalStateException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException) {
                throw Interruption.stop("`" + command.redacted() + "` on " + target.display());
            }
            // sshj reports a connection that is already gone with IllegalStateException("Not connected").
            throw lost(command, e);
        }
        openSpare();
        ScheduledFuture<?> giveUp = watchdog.schedule(
                () -> {
                    abandoned.set(true);
                    closeQuietly(session);
                },
                timeout.plus(LOCAL_GRACE).toMillis(),
                TimeUnit.MILLISECONDS);
        try (session) {
            // The caller put the time limit into the line (innermost, inside su or sudo); the watchdog above is the
            // local backstop.
            Session.Command exec = session.exec(command.line());
            // Remote standard input is closed at once: a command that would prompt (su, sudo) fails instead of waiting.
            exec.getOutputStream().close();
            Future<?> stderr = readers.submit(() -> {
                pump(output, exec.getErrorStream(), OutputSink.Stream.STDERR);
                return null;
            });
            pump(output, exec.getInputStream(), OutputSink.Stream.STDOUT);
            stderr.get(LOCAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            exec.join(LOCAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            Integer status = exec.getExitStatus();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (stops.get() != stopsBefore) {
                throw stopped(command);
            }
            if (abandoned.get() || (status == null && !client.isConnected())) {
                throw lostOrAbandoned(command, abandoned.get(), timeout, null);
            }
            int exitCode = status == null ? -1 : status;
            return new ExecResult(
                    exitCode,
                    output.stdout(),
                    output.stderrTail(),
                    output.bytes(),
                    output.sha256(),
                    elapsed.toMillis(),
                    TimeLimit.stopped(exitCode, elapsed, timeout));
        } catch (IOException | ExecutionException | TimeoutException e) {
            if (stops.get() != stopsBefore) {
                throw stopped(command);
            }
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException) {
                // sshj leaves the flag set after a read it gave up on.
                throw Interruption.stop("`" + command.redacted() + "` on " + target.display());
            }
            throw lostOrAbandoned(command, abandoned.get(), timeout, e);
        } catch (InterruptedException e) {
            throw Interruption.stop("`" + command.redacted() + "` on " + target.display());
        } finally {
            current = null;
            giveUp.cancel(false);
        }
    }

    /**
     * The session channel opened ahead of time for this command, or a new one. Opening a channel waits one round
     * trip for the server's confirmation; opening the next one while the current command runs takes that round trip
     * off every command after the first.
     */
    private Session takeSession() throws IOException {
        Future<Session> ready = spare;
        spare = null;
        if (ready != null) {
            try {
                Session session = ready.get(LOCAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                if (session.isOpen()) {
                    return session;
                }
                closeQuietly(session);
            } catch (ExecutionException | TimeoutException e) {
                ready.cancel(true);
                LOG.debug("spare session to {} failed; opening a new one", target.display(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while opening a session", e);
            }
        }
        return client.startSession();
    }

    private void openSpare() {
        if (client.isConnected()) {
            try {
                spare = readers.submit(client::startSession);
            } catch (RejectedExecutionException e) {
                spare = null; // closing
            }
        }
    }

    private static void pump(OutputCollector output, InputStream in, OutputSink.Stream stream) throws IOException {
        output.pump(in, stream);
    }

    private FlowException lostOrAbandoned(Command command, boolean abandoned, Duration timeout, Exception cause) {
        if (abandoned) {
            return FlowException.network(
                    target.display() + " stopped answering: gave up on `" + command.redacted()
                            + "` " + LOCAL_GRACE.toSeconds() + " s after its " + timeout.toSeconds()
                            + " s limit (the host's own timeout stops the command there)",
                    cause);
        }
        return lost(command, cause);
    }

    private FlowException lost(Command command, Exception cause) {
        return FlowException.network(
                "connection to " + target.display() + " was lost while running `" + command.redacted() + "`"
                        + (cause == null ? "" : ": " + describe(cause)),
                cause);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        OPEN.remove(this);
        Future<Session> unused = spare;
        spare = null;
        if (unused != null) {
            unused.cancel(true);
        }
        watchdog.shutdownNow();
        readers.shutdownNow();
        closeQuietly(client);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Plain sockets with Nagle's algorithm off: SSH sends many small packets that must not wait for ACKs. */
    private static final class NoDelaySocketFactory extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket socket = createSocket();
            socket.bind(new InetSocketAddress(localHost, localPort));
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            Socket socket = createSocket();
            socket.bind(new InetSocketAddress(localAddress, localPort));
            socket.connect(new InetSocketAddress(address, port));
            return socket;
        }
    }
}
