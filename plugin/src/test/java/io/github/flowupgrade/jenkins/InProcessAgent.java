package io.github.flowupgrade.jenkins;

import hudson.remoting.Callable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An agent in the test's JVM, reached as remoting reaches one: each callable and its result cross by Java
 * serialization, the callable runs on one of the agent's threads, and when the calling thread is interrupted the call
 * interrupts the agent's thread and returns at once, without waiting for it (remoting's {@code Request.call} sends a
 * {@code Cancel} and rethrows).
 */
final class InProcessAgent implements AgentLink, AutoCloseable {
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "in-process agent");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public <V> V call(Callable<V, IOException> task) throws IOException, InterruptedException {
        Callable<V, IOException> onAgent = roundTrip(task);
        Future<byte[]> running = threads.submit(() -> serialize(onAgent.call()));
        try {
            @SuppressWarnings("unchecked")
            V result = (V) deserialize(running.get());
            return result;
        } catch (InterruptedException e) {
            running.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = roundTrip(e.getCause());
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Runs one task on a fresh in-process agent, as a step sends it to its node's agent. */
    static <V> V callOnce(Callable<V, IOException> task) throws IOException, InterruptedException {
        try (InProcessAgent agent = new InProcessAgent()) {
            return agent.call(task);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws IOException {
        return (T) deserialize(serialize(value));
    }

    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot read back " + e.getMessage(), e);
        }
    }
}
