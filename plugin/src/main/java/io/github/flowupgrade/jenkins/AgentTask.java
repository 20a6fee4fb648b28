package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.UUID;
import jenkins.security.MasterToSlaveCallable;

/**
 * The part of a step that runs on the agent of the enclosing {@code node}: it calls the engine there, writes what the
 * user should read to the build log as it happens, and returns the result map.
 *
 * <p>Everything a task holds is serialized to the agent: plain strings and numbers, the build log's listener, and the
 * secret material the controller resolved from the credentials (an SSH key, a token). That material is used only to
 * authenticate and is never printed: no {@code toString} of a task or of {@link SshLogin} shows it.
 *
 * <p>An engine {@link FlowException} fails the step with the engine's own message (and no stack trace), as the CLI
 * prints it. Aborting the build interrupts the task's thread (through {@link AgentAborts}, under the task's
 * {@link #abortId()}); the engine stops the remote command and releases the host lock in its {@code finally} blocks,
 * and the session clears the interruption before it closes the audit trail, recording that the build was aborted.
 */
abstract class AgentTask extends MasterToSlaveCallable<Map<String, Object>, IOException> {
    private static final long serialVersionUID = 1L;

    static final String ABORTED = "the build was aborted";

    private final TaskListener listener;
    private final String abortId = UUID.randomUUID().toString();
    private transient AgentAborts.Registration registration;

    AgentTask(TaskListener listener) {
        this.listener = listener;
    }

    /** The id under which an abort reaches this task on the agent ({@link AbortAgentTask}). */
    final String abortId() {
        return abortId;
    }

    @Override
    public final Map<String, Object> call() throws IOException {
        // On an agent the engine may run for the first time in this JVM: its messages name step parameters.
        StepParameterNames.install();
        try (AgentAborts.Registration running = AgentAborts.register(abortId)) {
            registration = running;
            if (running.requested()) {
                throw new InterruptedIOException(ABORTED + " before the step started on the agent");
            }
            Console console = new BuildLogConsole(listener.getLogger());
            try {
                return PlainValues.map(perform(console));
            } catch (FlowException e) {
                String message = e.getMessage() + " [exit code " + e.exitCode().code() + "]";
                throw running.requested()
                        ? new InterruptedIOException(ABORTED + ": " + message)
                        : new AbortException(message);
            } catch (InterruptedException e) {
                throw new InterruptedIOException(ABORTED);
            }
        } finally {
            registration = null;
        }
    }

    /** Whether an abort of this task has arrived, and when its cleanup starts; only while {@link #call()} runs. */
    final AgentAborts.AbortSignal abortSignal() {
        AgentAborts.Registration running = registration;
        if (running == null) {
            throw new IllegalStateException("only while the task runs on the agent");
        }
        return running;
    }

    /** Does the work on the agent; never logs a secret. */
    protected abstract Map<String, Object> perform(Console console) throws IOException, InterruptedException;

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    /** Writes to the build log line by line, flushing each so remote output appears as it arrives. */
    static final class BuildLogConsole implements Console {
        private final PrintStream log;

        BuildLogConsole(PrintStream log) {
            this.log = log;
        }

        @Override
        public void info(String message) {
            synchronized (log) {
                log.println(message);
                log.flush();
            }
        }

        @Override
        public void warn(String message) {
            synchronized (log) {
                log.println("WARNING: " + message);
                log.flush();
            }
        }
    }
}
