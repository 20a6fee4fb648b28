package io.github.flowupgrade.host;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import io.github.flowupgrade.remote.Transport;
import io.github.flowupgrade.remote.TransportFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * The transport of one host that can be opened again after its connection was lost, through the same factory (the
 * same host key check, login and settings). Commands go over the current connection; only a caller that knows its
 * command is safe to pick up again (a detached task it re-attaches to) asks for {@link #reconnect}. Nothing is retried
 * behind a caller's back.
 */
public final class ReconnectingTransport implements Transport {
    private final String host;
    private final TransportFactory factory;
    private volatile Transport current;

    /** @param first the connection already open to {@code host} */
    public ReconnectingTransport(String host, TransportFactory factory, Transport first) {
        this.host = Objects.requireNonNull(host, "host");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.current = Objects.requireNonNull(first, "first");
    }

    /** Opens a transport to {@code host} that can reconnect. */
    public static ReconnectingTransport open(String host, TransportFactory factory) {
        return new ReconnectingTransport(host, factory, factory.open(host));
    }

    @Override
    public String host() {
        return current.host();
    }

    @Override
    public boolean executes() {
        return current.executes();
    }

    @Override
    public ExecResult run(Command command, OutputSink sink, Duration timeout) {
        return current.run(command, sink, timeout);
    }

    /**
     * Closes the lost connection and opens a new one.
     *
     * @throws FlowException {@code NETWORK} when the host cannot be reached (yet), {@code REFUSED} when its host key
     *     is no longer trusted
     */
    public synchronized void reconnect() {
        Transport lost = current;
        try {
            lost.close();
        } catch (RuntimeException ignored) {
            // It is gone already; closing is only tidying up.
        }
        current = factory.open(host);
    }

    @Override
    public void close() {
        current.close();
    }
}
