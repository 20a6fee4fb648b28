package io.github.flowupgrade.jenkins;

import io.github.flowupgrade.Interruption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * On the agent: the flow tasks running there, so that aborting a build reaches the task it means. The controller does
 * not interrupt its own call into the agent (remoting would then return at once and leave the agent cleaning up on its
 * own); it sends {@link AbortAgentTask} instead, which interrupts the task's thread here, and keeps waiting for the
 * task to return.
 *
 * <p>A task is interrupted at most once, and never after it began its own cleanup ({@link Registration#cleanup()}): an
 * interruption then would break the audit trail's file channel or the release of the host lock.
 */
final class AgentAborts {
    /** How long an abort that arrived before its task started is remembered. */
    private static final Duration EARLY_ABORT_KEPT = Duration.ofHours(1);

    private static final Map<String, Thread> RUNNING = new HashMap<>();
    /** Aborts asked for, by task id, with the time they arrived (nanoTime). */
    private static final Map<String, Long> REQUESTED = new HashMap<>();

    private AgentAborts() {}

    /** Registers the calling thread as the one running task {@code id}, until the registration is closed. */
    static Registration register(String id) {
        synchronized (AgentAborts.class) {
            forgetOldRequests();
            RUNNING.put(id, Thread.currentThread());
            return new Registration(id);
        }
    }

    /**
     * Asks task {@code id} to stop: interrupts its thread if it runs and has not begun its cleanup; remembered if it has
     * not started yet. A second request for the same task does nothing.
     *
     * @return whether the task was running
     */
    static boolean abort(String id) {
        synchronized (AgentAborts.class) {
            boolean first = REQUESTED.putIfAbsent(id, System.nanoTime()) == null;
            Thread thread = RUNNING.get(id);
            if (first && thread != null) {
                thread.interrupt();
            }
            return thread != null;
        }
    }

    private static void forgetOldRequests() {
        long now = System.nanoTime();
        for (Iterator<Long> at = REQUESTED.values().iterator(); at.hasNext(); ) {
            if (now - at.next() > EARLY_ABORT_KEPT.toNanos()) {
                at.remove();
            }
        }
    }

    /** A task's registration; {@link AbortSignal} for its session. */
    static final class Registration implements AbortSignal, AutoCloseable {
        private final String id;

        private Registration(String id) {
            this.id = id;
        }

        @Override
        public boolean requested() {
            synchronized (AgentAborts.class) {
                return REQUESTED.containsKey(id);
            }
        }

        /**
         * The task begins its cleanup: no abort interrupts it from now on, and an interruption that already arrived is
         * taken off the thread so that the cleanup's I/O (the audit trail's file channel) works.
         *
         * @return whether the task was aborted: asked to by the controller, or its thread interrupted otherwise
         */
        @Override
        public boolean cleanup() {
            synchronized (AgentAborts.class) {
                RUNNING.remove(id, Thread.currentThread());
                return Thread.interrupted() | REQUESTED.containsKey(id);
            }
        }

        /**
         * Forgets the task; the thread goes back to remoting without an interruption left on it, nor one the engine
         * noted ({@link Interruption}) that would reach the next task on this thread.
         */
        @Override
        public void close() {
            synchronized (AgentAborts.class) {
                RUNNING.remove(id, Thread.currentThread());
                REQUESTED.remove(id);
                Interruption.restore();
                Thread.interrupted();
            }
        }
    }

    /** What a session needs to know about aborts: whether one was asked for, and when its cleanup starts. */
    interface AbortSignal {
        boolean requested();

        boolean cleanup();
    }
}
