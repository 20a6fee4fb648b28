package io.github.flowupgrade.release;

/** When, relative to checking out the new code and restarting the services, an upgrade task runs. */
public enum Phase {
    BEFORE_CHECKOUT("before-checkout"),
    AFTER_CHECKOUT("after-checkout"),
    AFTER_RESTART("after-restart");

    private final String wireName;

    Phase(String wireName) {
        this.wireName = wireName;
    }

    /** The name in {@code --json} output and the plugin's results. */
    public String wireName() {
        return wireName;
    }
}
