package io.github.flowupgrade.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.upgrade.services.ServiceAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Step results hold only plain, mutable, serializable values a sandboxed Pipeline can read. */
class PlainValuesTest {
    @Test
    void copiesIntoPlainCollectionsAndStringifiesTheRest() {
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("tag", "v4.3.1");
        engine.put("durationMs", 1200L);
        engine.put("healthy", true);
        engine.put("error", null);
        engine.put("hops", List.of("v4.2.10", "v4.3.1"));
        engine.put("plan", Map.of("tasks", List.of(Map.of("command", "bundle install"))));
        engine.put("action", ServiceAction.RELOAD);
        engine.put("at", Instant.parse("2026-11-23T12:00:00Z"));

        Map<String, Object> plain = PlainValues.map(engine);

        assertThat(plain).isInstanceOf(LinkedHashMap.class).containsKeys("tag", "error");
        assertThat(plain.get("hops")).isInstanceOf(ArrayList.class).isEqualTo(List.of("v4.2.10", "v4.3.1"));
        assertThat(plain.get("plan")).isInstanceOf(LinkedHashMap.class);
        Object task = ((List<?>) ((Map<?, ?>) plain.get("plan")).get("tasks")).get(0);
        assertThat(task).isInstanceOf(LinkedHashMap.class).isEqualTo(Map.of("command", "bundle install"));
        assertThat(plain.get("action")).isEqualTo("RELOAD");
        assertThat(plain.get("at")).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(plain.get("durationMs")).isEqualTo(1200L);
    }
}
