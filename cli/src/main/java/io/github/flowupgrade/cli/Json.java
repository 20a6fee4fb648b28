package io.github.flowupgrade.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.nio.file.Path;

/** JSON in and out for the commands that print results and read other commands' {@code --json} output. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static String pretty(Object value) {
        try {
            return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a result map is always serialisable", e);
        }
    }

    static JsonNode read(Path file, String option) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw FlowException.badInput(option + " " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw FlowException.badInput("cannot read " + option + " " + file + ": " + e.getMessage());
        }
    }
}
