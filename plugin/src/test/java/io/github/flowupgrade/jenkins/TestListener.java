package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A build log in memory, for running agent tasks in a test as the agent runs them. */
final class TestListener {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    TaskListener listener() {
        return () -> stream;
    }

    String log() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
