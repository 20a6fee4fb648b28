package io.github.flowupgrade.upgrade.tasks;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Interruption;
import io.github.flowupgrade.audit.AuditEvents;
import io.github.flowupgrade.commands.Command;
import io.github.flowupgrade.commands.DetachedTaskCommands;
import io.github.flowupgrade.commands.TimeLimit;
import io.github.flowupgrade.host.HostLock;
import io.github.flowupgrade.host.HostShell;
import io.github.flowupgrade.host.HostShell.As;
import io.github.flowupgrade.host.ReconnectingTransport;
import io.github.flowupgrade.remote.ExecResult;
import io.github.flowupgrade.remote.OutputSink;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one long command on a host detached from the SSH session ({@link DetachedTaskCommands}) and follows its output
 * live. The start and the follow travel in one round trip, so a detached task costs no more than a plain one. When the
 * connection is lost meanwhile, the task goes on on the host; if the host's transport can reconnect, this reconnects
 * (with backoff, for about a minute), re-attaches to the task by its id, goes on streaming from where the output
 * stopped, and takes the task's real exit status. The drop and the re-attach are in the audit trail. The host lock is
 * never touched: it stays held by the run.
 */
public final class DetachedTask {
    /** How much longer than the task's own limit its follow may take (the start, the last lines, the status). */
    private static final Duration FOLLOW_MARGIN = Duration.ofSeconds(60);

    /** How often one task may be re-attached to before the run gives up on the connection. */
    private static final int MAX_REATTACHES = 20;

    /** How many of the task's last output lines a failure shows. */
    private static final int TAIL_LINES = 15;

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostShell shell;
    private final Clock clock;
    private final DetachedTaskCommands commands;
    private final Duration[] backoff;

    public DetachedTask(HostShell shell, Clock clock) {
        this(shell, clock, defaultBackoff());
    }

    /** @param backoff the waits before each reconnect attempt, in order (their count is the number of attempts) */
    DetachedTask(HostShell shell, Clock clock, Duration[] backoff) {
        this.shell = shell;
        this.clock = clock;
        this.commands =
                new DetachedTaskCommands(HostLock.stateDir(shell.access().appDir()));
        this.backoff = backoff.clone();
    }

    private static Duration[] defaultBackoff() {
        return new Duration[] {
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15)
        };
    }

    /** A new task id: the UTC start time, six random hex digits and a short name ({@code ...-db-migrate}). */
    public String newId(String name) {
        byte[] random = new byte[3];
        RANDOM.nextBytes(random);
        String slug = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        slug = slug.replaceAll("^-+|-+$", "");
        slug = slug.length() > 40 ? slug.substring(0, 40) : slug;
        return ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(random) + (slug.isEmpty() ? "" : "-")
                + slug;
    }

    public DetachedTaskCommands commands() {
        return commands;
    }

    /**
     * Runs {@code command} (as the application user) detached, streaming its output to the console and to {@code tee}.
     *
     * @param id the task's id ({@link #newId})
     * @param prelude run in the same round trip just before the task starts (a history record), or null
     * @param limit the task's own time limit on the host
     * @return the task's result: its real exit status, all its output's size, its whole duration
     * @throws FlowException {@code NETWORK} when the connection was lost and could not be opened again (the message
     *     says the task goes on on the host, and where its log is)
     */
    public ExecResult run(String id, Command command, Command prelude, Duration limit, OutputSink tee) {
        if (!shell.executes()) {
            // A dry run shows the task's own command; the detaching around it is the same for every task.
            shell.console()
                    .info("[" + shell.host() + "] runs detached (setsid; log and exit status in " + commands.taskDir(id)
                            + "/), followed live:");
            return shell.stream(As.APP, prelude == null ? command : prelude.and(command), limit, tee);
        }
        Command start = commands.startAndFollow(id, command, limit);
        Command sent = prelude == null ? start : prelude.and(start);
        Duration followLimit = limit.plus(FOLLOW_MARGIN);
        AtomicLong shown = new AtomicLong();
        // The task's standard error is in its log with its output: its last lines explain a failure.
        Deque<String> last = new ArrayDeque<>();
        OutputSink counting = (stream, line) -> {
            if (stream == OutputSink.Stream.STDOUT) {
                shown.addAndGet(line.getBytes(StandardCharsets.UTF_8).length + 1L);
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > TAIL_LINES) {
                        last.removeFirst();
                    }
                }
            }
            tee.line(stream, line);
        };
        Map<String, Object> fields = fields(id);
        fields.put("command", command.redacted());
        fields.put("log", commands.logFile(id));
        shell.audit().record(AuditEvents.TASK_DETACHED, fields);
        long started = System.nanoTime();
        boolean restartedOnce = false;
        int reattached = 0;
        while (true) {
            ExecResult result;
            try {
                result = shell.stream(As.APP, sent, followLimit, counting);
            } catch (FlowException e) {
                if (Interruption.stoppedBy(e)) {
                    stop(id);
                    throw e;
                }
                if (e.exitCode() != ExitCode.NETWORK
                        || !(shell.access().transport() instanceof ReconnectingTransport transport)) {
                    throw e;
                }
                if (++reattached > MAX_REATTACHES) {
                    throw FlowException.network(
                            e.getMessage() + "\nThe connection to " + shell.host() + " was lost " + reattached
                                    + " times while following task " + id + "; giving up. The task goes on there on"
                                    + " its own: its output is in " + commands.logFile(id) + ".",
                            e);
                }
                lost(id, e, shown.get());
                try {
                    reconnect(transport, id, e);
                } catch (FlowException stopped) {
                    if (Interruption.stoppedBy(stopped)) {
                        stop(id);
                    }
                    throw stopped;
                }
                sent = commands.follow(id, shown.get());
                continue;
            }
            String tail = result.stderrTail() == null ? "" : result.stderrTail();
            if (!restartedOnce && !start.equals(sent) && tail.contains("no task " + id + " was started")) {
                // The connection was lost before the start reached the host: nothing of it ran; send it all again.
                restartedOnce = true;
                sent = prelude == null ? start : prelude.and(start);
                continue;
            }
            String logTail;
            synchronized (last) {
                logTail = String.join("\n", last);
            }
            return finished(id, result, shown.get(), System.nanoTime() - started, limit, logTail);
        }
    }

    private ExecResult finished(String id, ExecResult follow, long bytes, long nanos, Duration limit, String logTail) {
        String tail = follow.stderrTail() == null ? "" : follow.stderrTail();
        Integer status = null;
        StringBuilder rest = new StringBuilder();
        if (!logTail.isBlank()) {
            rest.append(logTail).append('\n');
        }
        for (String line : tail.split("\n", -1)) {
            if (line.startsWith(DetachedTaskCommands.EXIT_LINE)) {
                try {
                    status = Integer.parseInt(line.substring(DetachedTaskCommands.EXIT_LINE.length())
                            .strip());
                } catch (NumberFormatException e) {
                    status = null;
                }
            } else if (!line.isEmpty()) {
                rest.append(line).append('\n');
            }
        }
        long ms = nanos / 1_000_000;
        int exit = status != null ? status : follow.exitCode();
        if (status == null && !follow.timedOut()) {
            rest.append("the exit status of task ")
                    .append(id)
                    .append(" could not be read; its log is ")
                    .append(commands.logFile(id))
                    .append('\n');
        }
        boolean timedOut =
                follow.timedOut() || (status != null && TimeLimit.stopped(status, Duration.ofMillis(ms), limit));
        return new ExecResult(exit, follow.stdout(), rest.toString(), bytes, follow.outputSha256(), ms, timedOut);
    }

    private void lost(String id, FlowException e, long offset) {
        Map<String, Object> fields = fields(id);
        fields.put("error", e.getMessage());
        fields.put("shownBytes", offset);
        shell.audit().record(AuditEvents.TASK_CONNECTION_LOST, fields);
        shell.console()
                .warn("[" + shell.host() + "] the connection was lost while following task " + id
                        + "; it goes on on the host. Reconnecting to follow it.");
    }

    private void reconnect(ReconnectingTransport transport, String id, FlowException lost) {
        FlowException last = lost;
        for (int attempt = 0; attempt < backoff.length; attempt++) {
            sleep(backoff[attempt], id);
            try {
                transport.reconnect();
                Map<String, Object> fields = fields(id);
                fields.put("attempt", attempt + 1);
                shell.audit().record(AuditEvents.TASK_REATTACHED, fields);
                shell.console()
                        .info("[" + shell.host() + "] reconnected (attempt " + (attempt + 1) + "); following task " + id
                                + " again");
                return;
            } catch (FlowException e) {
                if (e.exitCode() != ExitCode.NETWORK) {
                    throw e;
                }
                last = e;
            }
        }
        throw FlowException.network(
                lost.getMessage() + "\nCould not reconnect to " + shell.host() + " (" + last.getMessage()
                        + "). Task " + id + " goes on there on its own: its output is in " + commands.logFile(id)
                        + " and its exit status will be in " + commands.taskDir(id) + "/status.",
                lost);
    }

    /** Stops a task whose run was stopped from outside (an aborted build), as any remote command of it is. */
    private void stop(String id) {
        try {
            shell.app(commands.stop(id));
        } catch (FlowException e) {
            shell.console()
                    .warn("[" + shell.host() + "] could not stop task " + id + ": " + e.getMessage()
                            + "; it ends at its own time limit");
        }
    }

    private Map<String, Object> fields(String id) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("host", shell.host());
        fields.put("task", id);
        return fields;
    }

    private static void sleep(Duration wait, String id) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            throw Interruption.stop("reconnecting to follow task " + id);
        }
    }
}
