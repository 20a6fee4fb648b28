package io.github.flowupgrade.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.flowupgrade.FlowException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A trail as a person reads it ({@code flow audit show}): one line per record with its time, number, type and what
 * happened, then the verifier's verdict. Long values are folded to their size ({@code items=[19 items]}, a long
 * command cut and its length given), so each record stays one readable line; {@link #record} shows one record whole.
 * Lines that are not records are shown as such rather than stopping the rendering, as a damaged trail is exactly when
 * someone reads it closely.
 */
public final class AuditTimeline {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Text longer than this is cut to {@link #TEXT_KEPT} characters, followed by its length. */
    static final int MAX_TEXT = 240;

    static final int TEXT_KEPT = 200;
    /** A list or an object whose JSON is longer than this is shown as its size. */
    static final int MAX_VALUE = 200;

    private AuditTimeline() {}

    /**
     * A rendered trail.
     *
     * @param folded whether some value was shortened, so that {@link #record} would show more
     */
    public record Timeline(List<String> lines, boolean folded) {
        public Timeline {
            lines = List.copyOf(lines);
        }
    }

    /** The timeline of {@code file}, its last line the verification summary. */
    public static List<String> render(Path file) {
        return timeline(file).lines();
    }

    /** The timeline of {@code file}, its last line the verification summary, and whether a value was folded. */
    public static Timeline timeline(Path file) {
        byte[] bytes = read(file);
        Folding folding = new Folding(true);
        List<String> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            try {
                out.add(line(AuditEvent.parse(lines[i]), folding));
            } catch (IllegalArgumentException e) {
                out.add("line " + (i + 1) + ": not a record (" + folding.text(e.getMessage()) + ")");
            }
        }
        out.add(printable(AuditVerifier.verify(file, bytes, null).summaryLine()));
        return new Timeline(out, folding.used);
    }

    /**
     * Record {@code seq} of {@code file} whole: its timeline line with nothing folded, then the record itself as
     * indented JSON (control characters shown escaped), then the verification summary of the whole trail.
     *
     * @throws FlowException {@code BAD_INPUT} when the trail has no record {@code seq}
     */
    public static List<String> record(Path file, long seq) {
        byte[] bytes = read(file);
        long records = 0;
        for (String raw : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            AuditEvent event;
            try {
                event = AuditEvent.parse(raw);
            } catch (IllegalArgumentException e) {
                continue;
            }
            records++;
            if (event.seq() == seq) {
                List<String> out = new ArrayList<>();
                out.add(line(event, new Folding(false)));
                try {
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(JSON.readTree(raw))
                            .lines()
                            .map(AuditTimeline::printable)
                            .forEach(out::add);
                } catch (JsonProcessingException e) {
                    out.add(printable(raw));
                }
                out.add(printable(AuditVerifier.verify(file, bytes, null).summaryLine()));
                return out;
            }
        }
        throw FlowException.badInput("no record #" + seq + " in " + file + " (it has " + records + " records)");
    }

    /** One record as one line: {@code 2026-11-23T12:00:00.000Z  #1  run.started  ...}, long values folded. */
    public static String line(AuditEvent event) {
        return line(event, new Folding(true));
    }

    private static String line(AuditEvent event, Folding folding) {
        return String.format(
                "%s  #%-4d %-19s %s",
                AuditEvent.formatTime(event.time()), event.seq(), printable(event.type()), describe(event, folding));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw FlowException.badInput("audit log " + file + " does not exist");
        } catch (IOException e) {
            throw FlowException.badInput("cannot read audit log " + file + ": " + e.getMessage());
        }
    }

    private static String describe(AuditEvent event, Folding folding) {
        Map<String, Object> f = new LinkedHashMap<>(event.fields());
        switch (event.type()) {
            case AuditEvents.RUN_STARTED -> {
                StringBuilder s = new StringBuilder("run ").append(printable(event.run()));
                s.append(" by ").append(folding.text(f.remove("actor")));
                Object build = f.remove("buildUrl");
                if (build != null) {
                    s.append(" (").append(folding.text(build)).append(')');
                }
                Object operation = f.remove("operation");
                if (operation != null) {
                    s.append(": ").append(folding.text(operation));
                }
                Object target = f.remove("target");
                if (target != null) {
                    s.append(" to ").append(folding.text(target));
                }
                Object hosts = f.remove("hosts");
                if (hosts instanceof Collection<?> list && !list.isEmpty()) {
                    s.append(" on ").append(list.stream().map(folding::text).collect(Collectors.joining(", ")));
                }
                Object version = f.remove("toolVersion");
                if (version != null) {
                    s.append(", flow ").append(folding.text(version));
                }
                f.remove(JsonLinesAuditLog.HEAD_FILE_FIELD, true); // said by the verdict line
                return s.append(rest(f, folding)).toString();
            }
            case AuditEvents.RUN_FINISHED -> {
                StringBuilder s =
                        new StringBuilder("run ").append(printable(event.run())).append(' ');
                s.append(folding.text(f.remove("status")));
                Object exit = f.remove("exitCode");
                if (exit != null) {
                    s.append(", exit ").append(folding.text(exit));
                }
                Object error = f.remove("error");
                if (error != null) {
                    s.append(": ").append(folding.text(error));
                }
                return s.append(rest(f, folding)).toString();
            }
            case AuditEvents.COMMAND -> {
                StringBuilder s = new StringBuilder();
                s.append(folding.text(f.remove("host")))
                        .append(' ')
                        .append(folding.text(f.remove("user")))
                        .append("$ ");
                s.append(folding.text(f.remove("command")));
                s.append(" -> exit ").append(folding.text(f.remove("exitCode")));
                Object duration = f.remove("durationMs");
                if (duration instanceof Number ms) {
                    s.append(" in ").append(ms.longValue() / 1000.0).append('s');
                }
                Object bytes = f.remove("outputBytes");
                if (bytes != null) {
                    s.append(", ").append(folding.text(bytes)).append(" bytes out");
                }
                if (Boolean.TRUE.equals(f.remove("timedOut"))) {
                    s.append(", TIMED OUT");
                } else {
                    f.remove("timedOut");
                }
                f.remove("started");
                f.remove("outputSha256");
                return s.append(rest(f, folding)).toString();
            }
            case AuditEvents.INSTANCE_STEP -> {
                // "[web2.example.org] reload web for v4.3.1: done (mastodon-web reloaded ...)"
                Object host = f.remove("host");
                StringBuilder s = new StringBuilder();
                if (host != null) {
                    s.append('[').append(folding.text(host)).append("] ");
                }
                s.append(folding.text(f.remove("step"))).append(": ").append(folding.text(f.remove("status")));
                Object detail = f.remove("detail");
                if (detail != null) {
                    s.append(" (").append(folding.text(detail)).append(')');
                }
                f.remove("hop");
                return s.append(rest(f, folding)).toString();
            }
            default -> {
                Object host = f.remove("host");
                String rest = rest(f, folding).strip();
                return host == null ? rest : ("[" + folding.text(host) + "] " + rest).strip();
            }
        }
    }

    private static String rest(Map<String, Object> fields, Folding folding) {
        if (fields.isEmpty()) {
            return "";
        }
        return fields.entrySet().stream()
                .map(e -> printable(e.getKey()) + "=" + folding.value(e.getValue()))
                .collect(Collectors.joining(" ", " ", ""));
    }

    /** Text from a trail made safe for a terminal: one line, control characters (escape sequences) shown escaped. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // Other control characters (terminal escapes among them) must not act on the reader's terminal.
                default -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : c);
            }
        }
        return out.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** How values are shown on a line: folded when long (the timeline) or whole (one record), and whether one was. */
    private static final class Folding {
        private final boolean on;
        private boolean used;

        Folding(boolean on) {
            this.on = on;
        }

        /** A value inside a sentence: strings as they are with control characters escaped, anything else as JSON. */
        String text(Object value) {
            if (value instanceof String s) {
                return cut(printable(s), s.length(), "");
            }
            return value(value);
        }

        /** A value in a key=value pair: plain words bare, anything else as JSON so it stays on one line. */
        String value(Object value) {
            if (value instanceof String s) {
                String shown = s.matches("[^\\s\"\\\\\\p{Cntrl}]+") ? s : json(s);
                return cut(shown, s.length(), shown.startsWith("\"") ? "\"" : "");
            }
            String json = json(value);
            if (on && json.length() > MAX_VALUE) {
                if (value instanceof Collection<?> list) {
                    used = true;
                    return "[" + list.size() + (list.size() == 1 ? " item]" : " items]");
                }
                if (value instanceof Map<?, ?> map) {
                    used = true;
                    return "{" + map.size() + (map.size() == 1 ? " field}" : " fields}");
                }
            }
            return json;
        }

        /** {@code shown} cut to {@link #TEXT_KEPT} characters and the length of the value, when folding and long. */
        private String cut(String shown, int length, String close) {
            if (!on || shown.length() <= MAX_TEXT) {
                return shown;
            }
            used = true;
            return shown.substring(0, TEXT_KEPT) + "..." + close + " (" + length + " characters)";
        }
    }
}
