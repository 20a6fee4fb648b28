package io.github.flowupgrade.upgrade.services;

import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.Option;
import java.util.Locale;

/** When the streaming server is restarted (which disconnects every client, so a human approves it first). */
public enum StreamingPolicy {
    NEVER,
    /** Only when the release notes or the checked-out changes say the streaming server changed. */
    IF_NEEDED,
    ALWAYS;

    /** {@code never}, {@code if-needed}, {@code always}, as the CLI and the plugin spell it. */
    public static StreamingPolicy parse(String value) {
        if (value == null) {
            return IF_NEEDED;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "never" -> NEVER;
            case "if-needed", "if_needed" -> IF_NEEDED;
            case "always" -> ALWAYS;
            default ->
                throw FlowException.badInput(Option.STREAMING.named() + " must be never, if-needed or always, not "
                        + value.replaceAll("\\p{Cntrl}", "?"));
        };
    }

    public String spelling() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
