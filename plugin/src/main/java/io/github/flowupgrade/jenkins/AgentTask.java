package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.model.TaskListener;
import io.github.flowupgrade.Console;
import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.util.Map;
import jenkins.security.MasterToSlaveCallable;

/**
 * The part of a step that runs on the agent of the enclosing {@code node}: it calls the engine there, writes what the
 * user should read to the build log as it happens, and returns the result map.
 *
 * <p>Everything a task holds is serialized to the agent: plain strings and numbers, and the secret material the
 * controller resolved from the credentials (an SSH key, a token). That material is used only to authenticate and is
 * never printed: no {@code toString} of a task or of {@link SshLogin} shows it.
 *
 * <p>An engine {@link FlowException} fails the step with the engine's own message (and no stack trace), as the CLI
 * prints it. Aborting the build interrupts the agent thread; the engine stops the remote command and releases the host
 * lock in its {@code finally} blocks.
 */
abstract class AgentTask extends MasterToSlaveCallable<Map<String, Object>, IOException> {
    private static final long serialVersionUID = 1L;

    private final TaskListener listener;

    AgentTask(TaskListener listener) {
        this.listener = listener;
    }

    @Override
    public final Map<String, Object> call() throws IOException {
        Console console = new BuildLogConsole(listener.getLogger());
        try {
            return PlainValues.map(perform(console));
        } catch (FlowException e) {
            throw new AbortException(
                    e.getMessage() + " [exit code " + e.exitCode().code() + "]");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: the build was aborted");
        }
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
