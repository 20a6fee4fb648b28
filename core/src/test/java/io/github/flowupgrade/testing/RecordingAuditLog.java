package io.github.flowupgrade.testing;

import io.github.flowupgrade.audit.AuditLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit log that keeps every event in memory, for assertions. */
public final class RecordingAuditLog implements AuditLog {
    /** One recorded event. */
    public record Event(String type, Map<String, Object> fields) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(String type, Map<String, ?> fields) {
        events.add(new Event(type, new LinkedHashMap<>(fields)));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<String> types() {
        return events.stream().map(Event::type).toList();
    }

    public List<Event> ofType(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }
}
