package io.github.flowupgrade.jenkins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an engine result into what a Pipeline may hold without script-security whitelisting or surprises when the
 * program state is saved: {@link LinkedHashMap}s with String keys, {@link ArrayList}s, Strings, numbers, booleans and
 * nulls. Anything else (an enum, an {@code Instant}) becomes its string form; immutable JDK collections become mutable
 * copies.
 */
final class PlainValues {
    private PlainValues() {}

    static Map<String, Object> map(Map<?, ?> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(String.valueOf(key), value(value)));
        return copy;
    }

    static Object value(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Map<?, ?> m) {
            return map(m);
        }
        if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(value(item)));
            return list;
        }
        return value.toString();
    }
}
