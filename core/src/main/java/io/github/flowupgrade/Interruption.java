package io.github.flowupgrade;

/**
 * An interrupt of the thread running the engine (a Jenkins build aborted, a {@code timeout} step that expired): the
 * engine stops the remote command it was waiting for, but must still release the host lock and write the audit trail,
 * and neither SSH nor file channels work on a thread whose interrupt flag is set. So the engine clears the flag where
 * it notices it, notes it here, and goes on through its failure path; the front end that owns the thread restores it
 * with {@link #restore()} once the run has cleaned up, and ends as aborted.
 */
public final class Interruption {
    private static final ThreadLocal<Boolean> NOTED = ThreadLocal.withInitial(() -> false);

    private Interruption() {}

    /**
     * Clears this thread's interrupt flag, notes the interrupt, and returns the failure that stops the run.
     *
     * @param what what was stopped, for the message
     */
    public static FlowException stop(String what) {
        Thread.interrupted();
        NOTED.set(true);
        return new Stopped("interrupted: " + what + " was stopped before it finished");
    }

    /**
     * The failure of a command stopped on request without a thread interrupt (Ctrl-C: the JVM's shutdown hook stops
     * the running commands): nothing to note.
     */
    public static FlowException stopped(String what) {
        return new Stopped("interrupted: " + what + " was stopped before it finished");
    }

    /** Whether {@code e}, or a failure it wraps, is a run stopped from outside. */
    public static boolean stoppedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Stopped) {
                return true;
            }
        }
        return false;
    }

    /** Whether this thread was interrupted, noted or not; clears the note and sets the flag again if so. */
    public static boolean restore() {
        boolean interrupted = NOTED.get() || Thread.currentThread().isInterrupted();
        NOTED.set(false);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }

    /** The failure of a run stopped from outside: not the host's fault, and nothing to retry blindly. */
    public static final class Stopped extends FlowException {
        Stopped(String message) {
            super(ExitCode.NETWORK, message);
        }
    }
}
