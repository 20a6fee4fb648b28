package io.github.flowupgrade.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One record of the audit trail, written as one line of JSON with its fields always in this order:
 *
 * <pre>{"seq":1,"time":"2026-11-23T12:00:00.000Z","run":"20261123T120000Z-3fa9c1","type":"run.started",
 * "fields":{...keys sorted...},"prev":"000...000"}</pre>
 *
 * @param seq position in the file, from 1, without gaps
 * @param time when it was recorded, UTC, millisecond precision
 * @param run the id of the run that wrote it
 * @param type one of {@link AuditEvents}
 * @param fields what happened (already redacted)
 * @param prev hex SHA-256 of the exact bytes of the previous line (without its newline); {@link #GENESIS} for the
 *     first record of a file
 */
public record AuditEvent(long seq, Instant time, String run, String type, Map<String, Object> fields, String prev) {
    /** The {@code prev} of a file's first record: 64 zeros, as no previous line exists. */
    public static final String GENESIS = "0".repeat(64);

    /** The order of the keys on the wire, which the verifier also requires. */
    static final List<String> KEYS = List.of("seq", "time", "run", "type", "fields", "prev");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(prev, "prev");
        time = time.truncatedTo(ChronoUnit.MILLIS);
        // Order kept (it is the order written), nulls allowed (JSON null), later changes by the caller not seen.
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** UTC ISO-8601 with milliseconds, the one time format of the trail. */
    public static String formatTime(Instant time) {
        return TIME.format(time);
    }

    /** The record as its line (without the newline). Maps inside {@code fields} are written in their own order. */
    public String toLine() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("seq", seq);
            json.writeStringField("time", formatTime(time));
            json.writeStringField("run", run);
            json.writeStringField("type", type);
            json.writeFieldName("fields");
            JSON.writeValue(json, fields);
            json.writeStringField("prev", prev);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads one line back.
     *
     * @throws IllegalArgumentException naming what is wrong when the line is not a well-formed record
     */
    public static AuditEvent parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        if (!keys.equals(KEYS)) {
            throw new IllegalArgumentException("keys are " + keys + ", expected " + KEYS);
        }
        JsonNode seq = node.get("seq");
        if (!seq.isIntegralNumber() || !seq.canConvertToLong()) {
            throw new IllegalArgumentException("seq is not an integer");
        }
        for (String key : List.of("time", "run", "type", "prev")) {
            if (!node.get(key).isTextual()) {
                throw new IllegalArgumentException(key + " is not a string");
            }
        }
        if (!node.get("fields").isObject()) {
            throw new IllegalArgumentException("fields is not an object");
        }
        String prev = node.get("prev").asText();
        if (!HASH.matcher(prev).matches()) {
            throw new IllegalArgumentException("prev is not 64 lower-case hex digits");
        }
        Instant time;
        try {
            time = Instant.parse(node.get("time").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time is not an ISO-8601 UTC instant");
        }
        Map<String, Object> fields = JSON.convertValue(node.get("fields"), new TypeReference<Map<String, Object>>() {});
        return new AuditEvent(
                seq.asLong(), time, node.get("run").asText(), node.get("type").asText(), fields, prev);
    }

    /**
     * Every record of a trail, in file order, for tests and tools that inspect what a run recorded. Does not verify
     * the chain ({@link AuditVerifier} does).
     *
     * @throws IllegalArgumentException naming the line that is not a record
     */
    public static List<AuditEvent> readAll(Path file) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            try {
                events.add(parse(lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return events;
    }

    /** Hex SHA-256 of a line's UTF-8 bytes: the {@code prev} of the record that follows it. */
    public static String hash(String line) {
        return hash(line.getBytes(StandardCharsets.UTF_8));
    }

    static String hash(byte[] lineBytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lineBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
