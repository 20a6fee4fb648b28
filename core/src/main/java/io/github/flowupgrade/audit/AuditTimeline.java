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
 * happened, then the verifier's verdict. Lines that are not records are shown as such rather than stopping the
 * rendering, as a damaged trail is exactly when someone reads it closely.
 */
public final class AuditTimeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTimeline() {}

    /** The timeline of {@code file}, its last line the verification summary. */
    public static List<String> render(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw FlowException.badInput("audit log " + file + " does not exist");
        } catch (IOException e) {
            throw FlowException.badInput("cannot read audit log " + file + ": " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            try {
                out.add(line(AuditEvent.parse(lines[i])));
            } catch (IllegalArgumentException e) {
                out.add("line " + (i + 1) + ": not a record (" + printable(e.getMessage()) + ")");
            }
        }
        out.add(printable(AuditVerifier.verify(file, bytes, null).summaryLine()));
        return out;
    }

    /** One record as one line: {@code 2026-11-23T12:00:00.000Z  #1  run.started  ...}. */
    public static String line(AuditEvent event) {
        return String.format(
                "%s  #%-4d %-19s %s",
                AuditEvent.formatTime(event.time()), event.seq(), printable(event.type()), describe(event));
    }

    private static String describe(AuditEvent event) {
        Map<String, Object> f = new LinkedHashMap<>(event.fields());
        switch (event.type()) {
            case AuditEvents.RUN_STARTED -> {
                StringBuilder s = new StringBuilder("run ").append(printable(event.run()));
                s.append(" by ").append(text(f.remove("actor")));
                Object build = f.remove("buildUrl");
                if (build != null) {
                    s.append(" (").append(text(build)).append(')');
                }
                Object operation = f.remove("operation");
                if (operation != null) {
                    s.append(": ").append(text(operation));
                }
                Object target = f.remove("target");
                if (target != null) {
                    s.append(" to ").append(text(target));
                }
                Object hosts = f.remove("hosts");
                if (hosts instanceof Collection<?> list && !list.isEmpty()) {
                    s.append(" on ")
                            .append(list.stream().map(AuditTimeline::text).collect(Collectors.joining(", ")));
                }
                Object version = f.remove("toolVersion");
                if (version != null) {
                    s.append(", flow ").append(text(version));
                }
                f.remove(JsonLinesAuditLog.HEAD_FILE_FIELD, true); // said by the verdict line
                return s.append(rest(f)).toString();
            }
            case AuditEvents.RUN_FINISHED -> {
                StringBuilder s =
                        new StringBuilder("run ").append(printable(event.run())).append(' ');
                s.append(text(f.remove("status")));
                Object exit = f.remove("exitCode");
                if (exit != null) {
                    s.append(", exit ").append(text(exit));
                }
                Object error = f.remove("error");
                if (error != null) {
                    s.append(": ").append(text(error));
                }
                return s.append(rest(f)).toString();
            }
            case AuditEvents.COMMAND -> {
                StringBuilder s = new StringBuilder();
                s.append(text(f.remove("host")))
                        .append(' ')
                        .append(text(f.remove("user")))
                        .append("$ ");
                s.append(text(f.remove("command")));
                s.append(" -> exit ").append(text(f.remove("exitCode")));
                Object duration = f.remove("durationMs");
                if (duration instanceof Number ms) {
                    s.append(" in ").append(ms.longValue() / 1000.0).append('s');
                }
                Object bytes = f.remove("outputBytes");
                if (bytes != null) {
                    s.append(", ").append(text(bytes)).append(" bytes out");
                }
                if (Boolean.TRUE.equals(f.remove("timedOut"))) {
                    s.append(", TIMED OUT");
                } else {
                    f.remove("timedOut");
                }
                f.remove("started");
                f.remove("outputSha256");
                return s.append(rest(f)).toString();
            }
            case AuditEvents.INSTANCE_STEP -> {
                // "[web2.example.org] reload web for v4.3.1: done (mastodon-web reloaded ...)"
                Object host = f.remove("host");
                StringBuilder s = new StringBuilder();
                if (host != null) {
                    s.append('[').append(text(host)).append("] ");
                }
                s.append(text(f.remove("step"))).append(": ").append(text(f.remove("status")));
                Object detail = f.remove("detail");
                if (detail != null) {
                    s.append(" (").append(text(detail)).append(')');
                }
                f.remove("hop");
                return s.append(rest(f)).toString();
            }
            default -> {
                Object host = f.remove("host");
                String rest = rest(f).strip();
                return host == null ? rest : ("[" + text(host) + "] " + rest).strip();
            }
        }
    }

    private static String rest(Map<String, Object> fields) {
        if (fields.isEmpty()) {
            return "";
        }
        return fields.entrySet().stream()
                .map(e -> printable(e.getKey()) + "=" + value(e.getValue()))
                .collect(Collectors.joining(" ", " ", ""));
    }

    /** A value in a key=value pair: plain words bare, anything else as JSON so it stays on one line. */
    private static String value(Object value) {
        if (value instanceof String s && s.matches("[^\\s\"\\\\\\p{Cntrl}]+")) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** Text from a trail made safe for a terminal: one line, control characters (escape sequences) shown escaped. */
    public static String printable(String s) {
        return text(s);
    }

    /** A value inside a sentence: strings as they are with control characters escaped, anything else as JSON. */
    private static String text(Object value) {
        if (value instanceof String s) {
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
        return value(value);
    }
}
