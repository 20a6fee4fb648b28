package io.github.flowupgrade.commands;

/**
 * systemd commands on a host. The unit comes right after the verb and options follow it: systemctl accepts either
 * order, and sudo rules written as {@code systemctl show mastodon-web *} (as a deploy user's rules usually are) only
 * match this one. Callers wrap the actions that change something for root.
 */
public final class SystemctlCommands {
    /** Journal lines put in an error when a service does not come back. */
    public static final int JOURNAL_LINES = 30;

    private SystemctlCommands() {}

    public static Command restart(String unit) {
        return Command.of("systemctl", "restart", Inputs.unit(unit));
    }

    public static Command stop(String unit) {
        return Command.of("systemctl", "stop", Inputs.unit(unit));
    }

    public static Command reload(String unit) {
        return Command.of("systemctl", "reload", Inputs.unit(unit));
    }

    public static Command isActive(String unit) {
        return Command.of("systemctl", "is-active", Inputs.unit(unit));
    }

    public static Command mainPid(String unit) {
        return Command.of("systemctl", "show", Inputs.unit(unit), "-p", "MainPID", "--value");
    }

    public static Command activeEnterTimestamp(String unit) {
        return Command.of("systemctl", "show", Inputs.unit(unit), "-p", "ActiveEnterTimestampMonotonic", "--value");
    }

    /**
     * Everything the restart check reads, in one round trip: {@code KEY=value} lines for the active state, the main
     * PID and when the unit last entered the active state.
     */
    public static Command state(String unit) {
        return Command.of(
                "systemctl",
                "show",
                Inputs.unit(unit),
                "-p",
                "ActiveState",
                "-p",
                "SubState",
                "-p",
                "MainPID",
                "-p",
                "ActiveEnterTimestampMonotonic");
    }

    /** The status header without log lines (those come from {@link #journal}); exits 3 for a stopped unit. */
    public static Command status(String unit) {
        return Command.of("systemctl", "status", Inputs.unit(unit), "--no-pager", "--lines", "0");
    }

    public static Command journal(String unit) {
        return Command.of("journalctl", "-u", Inputs.unit(unit), "-n", Integer.toString(JOURNAL_LINES), "--no-pager");
    }

    public static Command resetFailed(String unit) {
        return Command.of("systemctl", "reset-failed", Inputs.unit(unit));
    }
}
