package io.github.flowupgrade.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A port on this JVM's loopback that reaches a port on 127.0.0.1 inside a test host's network namespace, so that code
 * running in this JVM (the plugin's tasks, the engine) can open its own connection to the host's sshd. Each accepted
 * connection is piped through a small process started with {@code ip netns exec NS}: nothing in the root namespace
 * ever addresses the namespace, and the host stays unreachable to anything but this JVM's loopback port.
 *
 * <p>The host key is the host's: the exported known_hosts (which names {@code 127.0.0.1}) still verifies it, since
 * flow falls back to the bare host name for a port other than 22, and {@code --host-key SHA256:...} pins it too.
 */
public final class PortForward implements AutoCloseable {
    /** Connects to argv[1]:argv[2] and copies standard input to it and its answers to standard output. */
    private static final String PIPE = String.join(
            "\n",
            "import os, socket, sys, threading",
            "s = socket.create_connection((sys.argv[1], int(sys.argv[2])))",
            "def upstream():",
            "    while True:",
            "        data = os.read(0, 65536)",
            "        if not data:",
            "            break",
            "        s.sendall(data)",
            "    s.shutdown(socket.SHUT_WR)",
            "threading.Thread(target=upstream, daemon=True).start()",
            "while True:",
            "    data = s.recv(65536)",
            "    if not data:",
            "        break",
            "    while data:",
            "        data = data[os.write(1, data):]");

    private final String namespace;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Process> pipes = ConcurrentHashMap.newKeySet();

    private PortForward(String namespace, int targetPort) throws IOException {
        this(namespace, targetPort, InetAddress.getLoopbackAddress(), 0);
    }

    private PortForward(String namespace, int targetPort, InetAddress address, int port) throws IOException {
        this.namespace = namespace;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(port, 50, address);
        daemon("port-forward-" + namespace + "-" + targetPort, this::acceptLoop).start();
    }

    /** Starts forwarding this JVM's 127.0.0.1:{@link #port()} to 127.0.0.1:{@code targetPort} inside {@code namespace}. */
    static PortForward start(String namespace, int targetPort) {
        try {
            return new PortForward(namespace, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback for " + namespace, e);
        }
    }

    /**
     * Forwards {@code address:port} of the network namespace this JVM runs in (a loopback address) to 127.0.0.1:{@code
     * targetPort} inside {@code namespace}: what {@link PortForwardMain} does for several hosts at once.
     */
    static PortForward start(InetAddress address, int port, String namespace, int targetPort) {
        try {
            return new PortForward(namespace, targetPort, address, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.getHostAddress() + ":" + port, e);
        }
    }

    /** The local port: connect to {@code 127.0.0.1:port()}. */
    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Process pipe = new ProcessBuilder(List.of(
                                "ip",
                                "netns",
                                "exec",
                                namespace,
                                "python3",
                                "-c",
                                PIPE,
                                "127.0.0.1",
                                Integer.toString(targetPort)))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                open.add(client);
                pipes.add(pipe);
                daemon("port-forward-in", () -> copy(client, pipe, true)).start();
                daemon("port-forward-out", () -> copy(client, pipe, false)).start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /**
     * Copies client to pipe ({@code toHost}; at the client's end of input, the pipe's input ends, which half-closes the
     * connection inside) or pipe to client (at its end, the connection is over: both are closed).
     */
    private void copy(Socket client, Process pipe, boolean toHost) {
        OutputStream out = null;
        try {
            InputStream in = toHost ? client.getInputStream() : pipe.getInputStream();
            out = toHost ? pipe.getOutputStream() : client.getOutputStream();
            byte[] buffer = new byte[65536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the direction ends below
        } finally {
            if (toHost) {
                if (out != null) {
                    closeQuietly(out);
                }
            } else {
                closeQuietly(client);
                open.remove(client);
                pipe.destroy();
                pipes.remove(pipe);
            }
        }
    }

    /** Stops listening and ends every forwarded connection. */
    @Override
    public void close() {
        closeQuietly(listener);
        open.forEach(PortForward::closeQuietly);
        pipes.forEach(Process::destroy);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
