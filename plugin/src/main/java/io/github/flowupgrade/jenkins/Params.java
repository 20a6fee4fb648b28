package io.github.flowupgrade.jenkins;

import java.util.ArrayList;
import java.util.List;

/** Normalising of step parameters: what setters store and how list-valued text parameters are read. */
final class Params {
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
}
