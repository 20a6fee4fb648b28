package io.github.flowupgrade.host;

import io.github.flowupgrade.Interruption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one piece of work per host, at most {@code parallel} at a time, and returns every host's result in the order
 * the hosts were given. The work must turn its own failures into results: one host's failure never interrupts another
 * host in the middle of a command.
 */
public final class HostFanOut {
    public static final int MAX_PARALLEL = 64;

    private HostFanOut() {}

    private static final long CLEANUP_MINUTES = 5;

    public static <R> List<R> run(List<String> hosts, int parallel, Function<String, R> work) {
        if (hosts.size() <= 1 || parallel <= 1) {
            return hosts.stream().map(work).toList();
        }
        int threads = Math.min(Math.min(parallel, MAX_PARALLEL), hosts.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "flow-host");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (String host : hosts) {
                futures.add(pool.submit(() -> work.apply(host)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            // Each host stops its own command and cleans up (lock, audit) on its thread; wait for that before the
            // run reports itself stopped, so nothing is left running behind it.
            pool.shutdownNow();
            awaitCleanup(pool);
            throw Interruption.stop("the work on " + hosts.size() + " hosts");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a host's work failed unexpectedly", e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitCleanup(ExecutorService pool) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(CLEANUP_MINUTES);
        while (!pool.isTerminated() && System.nanoTime() < deadline) {
            try {
                pool.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException again) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
