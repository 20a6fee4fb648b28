package io.github.flowupgrade.jenkins;

import java.util.List;

/**
 * The fixed choices of the forms' drop-down lists, as plain values (offline-testable): each {@code f:select} field's
 * {@code doFill<Field>Items} turns its list into a {@code ListBoxModel} ({@link Forms#listBox}). Jenkins fills a
 * {@code f:select} only from that method; the first choice is the step's default. The step parameters stay plain
 * strings, so Pipeline scripts pass the same values as before.
 */
final class FieldChoices {
    /** One option: the value the step receives, and the text the form shows. */
    record Choice(String value, String label) {}

    /** {@code as}: how the SSH login runs commands as the application user. */
    static final List<Choice> AS = List.of(
            new Choice("", "su for a root login, else direct"),
            new Choice("direct", "direct: the login is the application user"),
            new Choice("su", "su: the login is root, commands run through su"),
            new Choice("sudo", "sudo: the login runs commands through sudo -n"));

    /** {@code streaming}: when to restart streaming (always behind the approval gate). */
    static final List<Choice> STREAMING = List.of(
            new Choice("", "the engine's default (if-needed)"),
            new Choice("never", "never"),
            new Choice("if-needed", "if-needed: when the release notes or the checkout say it changed"),
            new Choice("always", "always"));

    /** {@code webAction}: how web is restarted. */
    static final List<Choice> WEB_ACTION = List.of(
            new Choice("reload", "reload: a phased restart that drops no request"),
            new Choice("restart", "restart: for a web server without a phased restart"));

    /** {@code phase}: which upgrade tasks {@code flowRunUpgradeTasks} runs. */
    static final List<Choice> PHASE = List.of(
            new Choice("after-checkout", "after-checkout: dependencies, pre-deployment migrations, assets"),
            new Choice("after-restart", "after-restart: post-deployment migrations"));

    private FieldChoices() {}
}
