package io.github.flowupgrade.jenkins;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Reads fields of an engine result map (as {@code --json} prints it) without trusting their types. */
final class ResultView {
    private final Map<String, Object> map;

    ResultView(Map<String, Object> map) {
        this.map = map == null ? Map.of() : map;
    }

    String text(String key, String fallback) {
        Object value = map.get(key);
        return value instanceof String s && !s.isEmpty() ? s : fallback;
    }

    boolean flag(String key) {
        return Boolean.TRUE.equals(map.get(key));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> child(String key) {
        Object value = map.get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A whole-number field, or 0 when it is missing or not a number. */
    long number(String key) {
        Object value = map.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** {@code value} when it is a map (an element of a result's list), else an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    List<?> list(String key) {
        Object value = map.get(key);
        return value instanceof List<?> l ? l : List.of();
    }

    /** An http(s) URL field, or the fallback when it is missing or has another scheme. */
    String webUrl(String key, String fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            String scheme = URI.create(value).getScheme();
            return "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme) ? value : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
