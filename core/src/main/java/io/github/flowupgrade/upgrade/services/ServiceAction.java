package io.github.flowupgrade.upgrade.services;

/** What is done to a unit: a restart replaces the process; a reload (web) is a phased restart that keeps the PID. */
public enum ServiceAction {
    RESTART("restart", "restarted"),
    RELOAD("reload", "reloaded");

    private final String verb;
    private final String done;

    ServiceAction(String verb, String done) {
        this.verb = verb;
        this.done = done;
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
