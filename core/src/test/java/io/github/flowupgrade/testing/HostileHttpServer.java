package io.github.flowupgrade.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP server on loopback that answers every request the same hostile way, for tests of what a client does with a
 * server it should not trust: an answer that trickles one byte every two seconds, one that never ends, one that
 * announces a huge length, a redirect. It records the {@code Authorization} header of every request it gets.
 */
public final class HostileHttpServer implements AutoCloseable {
    /** How every request is answered. */
    public enum Behaviour {
        /** 200 and JSON headers at once, then one byte of the body every two seconds, forever. */
        TRICKLE,
        /** 200, a chunked body that never ends, as fast as the client reads it. */
        ENDLESS,
        /** 200 with {@code Content-Length} of 10 GiB, then as much as the client reads. */
        HUGE_LENGTH,
        /** 302 to {@link #redirectTo}. */
        REDIRECT
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-http");
        t.setDaemon(true);
        return t;
    });
    private final List<String> authorizations = new ArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile int requests;
    private final Behaviour behaviour;
    private volatile String redirectTo;

    private HostileHttpServer(Behaviour behaviour) {
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static HostileHttpServer start(Behaviour behaviour) {
        return new HostileHttpServer(behaviour);
    }

    /** Where {@link Behaviour#REDIRECT} sends clients (the path asked for is appended). */
    public HostileHttpServer redirectTo(URI target) {
        redirectTo = target.toString();
        return this;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int requests() {
        return requests;
    }

    /** Body bytes written so far, over every request. */
    public long bytesSent() {
        return bytesSent.get();
    }

    public synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests++;
            synchronized (this) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    authorizations.add(auth);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            switch (behaviour) {
                case TRICKLE -> {
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    byte[] body = "[{\"tag_name\":\"v4.3.1\"}]".getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; ; i = (i + 1) % body.length) {
                        out.write(body[i]);
                        out.flush();
                        bytesSent.incrementAndGet();
                        Thread.sleep(2000);
                    }
                }
                case ENDLESS, HUGE_LENGTH -> {
                    exchange.sendResponseHeaders(200, behaviour == Behaviour.ENDLESS ? 0 : 10L << 30);
                    OutputStream out = exchange.getResponseBody();
                    byte[] block = "{\"tag_name\":\"v4.3.1\",\"body\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"},"
                            .repeat(1000)
                            .getBytes(StandardCharsets.US_ASCII);
                    out.write('[');
                    while (true) {
                        out.write(block);
                        bytesSent.addAndGet(block.length);
                    }
                }
                case REDIRECT -> {
                    exchange.getResponseHeaders().add("Location", redirectTo + exchange.getRequestURI());
                    exchange.sendResponseHeaders(302, -1);
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client hung up (as it should), or the server is stopping.
        }
    }
}
