package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One run of a flow step's work on the controller, off the Pipeline's thread, that a build's abort can stop without
 * ending the step before the agent has cleaned up.
 *
 * <p>{@code SynchronousNonBlockingStepExecution} would interrupt its thread and end the step at once. Here the thread
 * is interrupted only while it works on the controller. While a task runs on the agent, a stop sends
 * {@link AbortAgentTask} there instead, and the step ends (as stopped, with the stop's cause) only when the task has
 * returned: when its {@code finally} blocks have stopped the remote command, released the host lock and closed the
 * audit trail, so that {@code post { archiveArtifacts }} archives the whole trail. If the agent goes away, remoting
 * fails the call and the step ends then.
 */
final class StepRun {
    private static final Logger LOG = Logger.getLogger(StepRun.class.getName());

    /** The step's work; makes its agent calls through {@link #callAgent}. */
    @FunctionalInterface
    interface Work {
        Map<String, Object> run(StepRun run) throws Exception;
    }

    /** How the step ends; called once, from the run's thread (or from {@link #stop} before the run started). */
    interface Outcome {
        void succeeded(Map<String, Object> result);

        void failed(Throwable cause);
    }

    private final Object lock = new Object();
    private Thread worker;
    private AgentCall onAgent;
    private Throwable stopCause;
    private boolean started;
    private boolean done;

    /** Runs {@code work} on a thread of {@code threads} and reports its end to {@code outcome}. */
    void start(Executor threads, Work work, Outcome outcome) {
        threads.execute(() -> runOnThisThread(work, outcome));
    }

    private void runOnThisThread(Work work, Outcome outcome) {
        Throwable stoppedEarly;
        synchronized (lock) {
            started = true;
            stoppedEarly = stopCause;
            if (stoppedEarly == null) {
                worker = Thread.currentThread();
            } else {
                done = true;
            }
        }
        if (stoppedEarly != null) {
            outcome.failed(stoppedEarly);
            return;
        }
        Map<String, Object> result = null;
        Throwable failure = null;
        try {
            result = work.run(this);
        } catch (Exception | Error e) {
            failure = e;
        }
        Throwable stopped;
        synchronized (lock) {
            done = true;
            worker = null;
            stopped = stopCause;
            Thread.interrupted(); // a stop's interruption must not reach the pool's next task
        }
        if (stopped != null) {
            if (failure != null && failure != stopped) {
                stopped.addSuppressed(failure);
            }
            outcome.failed(stopped);
        } else if (failure != null) {
            outcome.failed(failure);
        } else {
            outcome.succeeded(result);
        }
    }

    /**
     * Runs {@code task} on the agent behind {@code link} and returns its result. A stop while it runs asks the agent to
     * abort the task, and this keeps waiting until the task has returned.
     *
     * @throws AbortException when the step was stopped before the task was sent
     */
    Map<String, Object> callAgent(AgentLink link, AgentTask task) throws IOException, InterruptedException {
        synchronized (lock) {
            if (stopCause != null) {
                throw new AbortException(AgentTask.ABORTED + " before " + task + " was sent to the agent");
            }
            onAgent = new AgentCall(link, task);
        }
        try {
            return link.call(task);
        } finally {
            synchronized (lock) {
                onAgent = null;
            }
        }
    }

    /**
     * Stops the run: on the agent through {@code sender} if a task runs there, else by interrupting the controller
     * thread. Only the first stop acts; a later one waits for the same end.
     *
     * @return false when the run has already ended (its outcome is reported or being reported), true when the run will
     *     report its end itself, failed with {@code cause}
     */
    boolean stop(Throwable cause, Executor sender) {
        AgentCall call;
        synchronized (lock) {
            if (done) {
                return false;
            }
            if (stopCause != null) {
                return true;
            }
            stopCause = cause;
            call = onAgent;
            if (call == null && worker != null) {
                worker.interrupt();
            }
        }
        if (call != null) {
            sender.execute(call::abort);
        }
        return true;
    }

    /** What the step is doing, for the Pipeline's thread dump. */
    String status() {
        synchronized (lock) {
            if (done) {
                return "finished";
            }
            if (!started) {
                return "waiting for a thread";
            }
            String where = onAgent == null ? "on the controller" : "on the agent: " + onAgent.task;
            return stopCause == null
                    ? "running " + where
                    : "stopping, waiting for the agent to clean up (" + where + ")";
        }
    }

    /** Whether the run is under way (a controller restart would lose it). */
    boolean running() {
        synchronized (lock) {
            return !done;
        }
    }

    /** A task under way on an agent, and how to abort it there. */
    private record AgentCall(AgentLink link, AgentTask task) {
        void abort() {
            try {
                link.call(new AbortAgentTask(task.abortId()));
            } catch (IOException | RuntimeException e) {
                // The agent is unreachable: the task's own call fails the same way, which ends the step.
                LOG.log(Level.FINE, "could not send the abort of " + task + " to the agent", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
