package io.github.flowupgrade.app;

/** Which intermediate releases an upgrade must actually deploy on its way to the target. */
public enum HopRule {
    /**
     * Mastodon's current guide: deploy at least one release of every minor series crossed (its newest patch), because
     * zero-downtime migrations from much older series are not supported.
     */
    EVERY_MINOR_SERIES,
    /** The original guide: go straight to the target, running the instructions of every skipped release once. */
    SINGLE_HOP
}
