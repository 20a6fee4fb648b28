package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.commands.Inputs;

/**
 * What is done to a unit: a restart replaces the process; a reload (web) is a phased restart that keeps the PID; a
 * stop (only for an upgrade with downtime, {@link Downtime}) takes it down.
 */
public enum ServiceAction {
    RESTART("restart", "restarted"),
    RELOAD("reload", "reloaded"),
    STOP("stop", "stopped");

    private final String verb;
    private final String done;

    ServiceAction(String verb, String done) {
        this.verb = verb;
        this.done = done;
    }

    /** How web is restarted, as given: {@code reload} (the default, for null) or {@code restart}. */
    public static ServiceAction webAction(String value) {
        if (value == null || value.equals("reload")) {
            return RELOAD;
        }
        if (value.equals("restart")) {
            return RESTART;
        }
        throw FlowException.badInput(
                Option.WEB_ACTION.named() + " must be reload or restart, not " + Inputs.printable(value));
    }

    /** As systemctl and the JSON output spell it. */
    public String verb() {
        return verb;
    }

    /** The result word of a success. */
    public String done() {
        return done;
    }
}
