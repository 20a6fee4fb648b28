package io.github.flowupgrade.commands;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Long tasks (migrations, asset builds, {@code bundle install}, the database dump) run detached from the SSH session
 * that started them, so a dropped connection cannot end them halfway: {@code setsid} puts the task in a session of its
 * own with no terminal and no pipe back to sshd; its output goes to a log file and its exit status to a file, in a
 * directory per task under the state directory ({@code ~/.flow-upgrade/tasks/<id>/}: {@code pid}, {@code log},
 * {@code status}). A client follows the log with {@code tail --pid}, which ends when the task does, and takes the exit
 * status from the file; after a lost connection it follows again from where its output stopped.
 *
 * @param stateDir the tool's state directory on the host, such as {@code /home/mastodon/.flow-upgrade}
 */
public record DetachedTaskCommands(String stateDir) {
    /** Printed on standard error by {@link #follow} once the task ended: this prefix, then its exit status. */
    public static final String EXIT_LINE = "flow-task-exit ";

    /** The follow's own exit status when the task ended without writing its status (killed, or the host rebooted). */
    public static final int NO_STATUS = 255;

    private static final Pattern ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,99}");

    public DetachedTaskCommands {
        Inputs.dir(stateDir);
    }

    public String taskDir(String id) {
        return stateDir + "/tasks/" + checkId(id);
    }

    public String logFile(String id) {
        return taskDir(id) + "/log";
    }

    /**
     * Starts {@code command} detached under {@code limit} (enforced on the host by {@code timeout}, as for any
     * command), then follows it from its first byte. One round trip: the start and the follow travel together.
     */
    public Command startAndFollow(String id, Command command, Duration limit) {
        return start(id, command, limit).and(follow(id, 0));
    }

    /**
     * Starts {@code command} detached and returns once it runs: the command goes into the task's {@code command} file
     * (one level of quoting less in every record of it), {@code setsid -f} forks a shell into a session of its own,
     * which writes its process id (the session's id) to {@code pid}, runs the command with its output in {@code log},
     * and, when it ends, writes its exit status to {@code status}.
     */
    public Command start(String id, Command command, Duration limit) {
        String dir = taskDir(id);
        Command limited = TimeLimit.wrap(command, limit);
        String pid = Shell.quote(dir + "/pid");
        String file = Shell.quote(dir + "/command");
        // The pid and the exit status go through temporary names, so a reader never sees half a number.
        String detached = "echo \"$$\" > " + Shell.quote(dir + "/pid.part") + " && mv " + Shell.quote(dir + "/pid.part")
                + " " + pid + "; sh " + file + " > " + Shell.quote(dir + "/log") + " 2>&1; echo \"$?\" > "
                + Shell.quote(dir + "/status.part") + " && mv " + Shell.quote(dir + "/status.part") + " "
                + Shell.quote(dir + "/status");
        String head = Shell.join(java.util.List.of("mkdir", "-p", "-m", "700", dir)) + " && : > "
                + Shell.quote(dir + "/log") + " && printf '%s\\n' ";
        // Returns once the task wrote its pid (at most 10 s), so a follow right after it always finds the task.
        String tail = " > " + file + " && setsid -f sh -c " + Shell.quote(detached)
                + " < /dev/null > /dev/null 2>&1 && i=0 && while [ ! -f " + pid + " ] && [ \"$i\" -lt 200 ];"
                + " do sleep 0.05; i=$((i + 1)); done";
        return new Command(head + Shell.quote(limited.line()) + tail, head + Shell.quote(limited.redacted()) + tail);
    }

    /**
     * Prints the task's log from byte {@code offset} (0 for the whole log) as it grows, until the task ends; then
     * prints {@link #EXIT_LINE} and the task's status on standard error and exits with that status. Fails when no
     * such task was started on the host.
     */
    public Command follow(String id, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        String dir = Shell.quote(taskDir(id));
        String line = "d=" + dir + "; if [ ! -f \"$d/pid\" ]; then echo \"no task " + checkId(id)
                + " was started on this host\" >&2; exit " + NO_STATUS + "; fi; "
                + "tail -s 0.2 -c +" + (offset + 1) + " --pid=\"$(cat \"$d/pid\")\" -f \"$d/log\" 2>/dev/null; "
                + "if [ -f \"$d/status\" ]; then s=$(cat \"$d/status\"); echo \"" + EXIT_LINE + "$s\" >&2;"
                + " exit \"$s\"; fi; echo \"the task ended without an exit status (killed, or the host restarted)\""
                + " >&2; exit " + NO_STATUS;
        return new Command(line, line);
    }

    /** Whether the task's status file exists (prints it), for a run that looks for a task it lost. */
    public Command status(String id) {
        return Command.of("cat", taskDir(id) + "/status");
    }

    /**
     * Stops the task: TERM to every process of its session (the {@code timeout} inside passes the signal on to the
     * task's own process group), then, once the shell at its head is gone (at most 10 s), records the exit status
     * 143 (TERM) if that shell could not. Succeeds also when the task had ended.
     */
    public Command stop(String id) {
        String dir = Shell.quote(taskDir(id));
        String line = "d=" + dir + "; p=$(cat \"$d/pid\" 2>/dev/null) || exit 0; pkill -TERM -s \"$p\"; i=0;"
                + " while kill -0 \"$p\" 2>/dev/null && [ \"$i\" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done;"
                + " if ! kill -0 \"$p\" 2>/dev/null && [ ! -f \"$d/status\" ]; then echo 143 > \"$d/status.part\""
                + " && mv \"$d/status.part\" \"$d/status\"; fi; true";
        return new Command(line, line);
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a task id: " + id);
        }
        return id;
    }
}
