package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A build log in memory, for running agent tasks in a test as the agent runs them. Its listener is serializable, as
 * Jenkins' are (a {@code TaskListener} is {@code SerializableOnlyOverRemoting}): a copy that went through serialization
 * (to an in-process "agent") still writes to the same log.
 */
final class TestListener {
    private static final Map<String, PrintStream> LOGS = new ConcurrentHashMap<>();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final String id = UUID.randomUUID().toString();

    TestListener() {
        LOGS.put(id, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    TaskListener listener() {
        return new Listener(id);
    }

    String log() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private record Listener(String id) implements TaskListener {
        @Override
        public PrintStream getLogger() {
            return LOGS.get(id);
        }
    }
}
