package io.github.flowupgrade.jenkins;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Normalising of step parameters: what setters store and how list-valued text parameters are read. */
final class Params {
    static final Set<String> SERVICE_ROLES = Set.of("sidekiq", "web", "streaming");

    private Params() {}

    static boolean blank(String value) {
        return value == null || value.trim().isEmpty();
    }

    /** Trimmed, or null when empty, so an unset optional parameter is always null. */
    static String trimToNull(String value) {
        return blank(value) ? null : value.trim();
    }

    /** Items separated by commas or whitespace, trimmed, empty ones dropped. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split("[,\\s]+")) {
                if (!item.isEmpty()) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    /** Service roles ({@code sidekiq}, {@code web}, {@code streaming}), in the order given, without repeats. */
    static List<String> services(String value) {
        List<String> roles = new ArrayList<>();
        for (String item : list(value)) {
            String role = item.toLowerCase(Locale.ROOT);
            if (!SERVICE_ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown service role " + item);
            }
            if (!roles.contains(role)) {
                roles.add(role);
            }
        }
        return roles;
    }
}
