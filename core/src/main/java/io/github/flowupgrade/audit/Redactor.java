package io.github.flowupgrade.audit;

import io.github.flowupgrade.Console;
import java.lang.reflect.Array;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@code ***} before anything is written to the audit trail or shown on the console. Two
 * defences: the exact values the run knows to be secret (private key content, passphrases, tokens, values the user
 * marks secret), registered as soon as they are read; and patterns that catch secrets it was never told about (PEM
 * private key blocks, GitHub tokens, {@code Authorization:} headers, {@code password=}/{@code token=} parameters,
 * passwords in URLs). Thread-safe: hosts run in parallel, and a secret may be registered while others redact.
 */
public final class Redactor {
    public static final String MASK = "***";

    /** A private key block; an unterminated one (cut output) is masked to the end of the text. */
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----.*?(-----END ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----|\\z)",
            Pattern.DOTALL);

    /** GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens, classic and fine-grained. */
    private static final Pattern GITHUB_TOKEN =
            Pattern.compile("\\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})");

    /** An HTTP authorization header (also {@code Proxy-Authorization}): the rest of the line is the credential. */
    private static final Pattern AUTHORIZATION_HEADER = Pattern.compile("(?i)(authorization\\s*[:=]\\s*)[^\\r\\n]+");

    /** {@code password=...}, {@code token=...} and their kin in query strings, forms and command lines. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(\\b(?:password|passwd|passphrase|pass|token|access_token|private_token|secret|client_secret|api_key|apikey)=)[^&\\s#'\"]+");

    /** The password of {@code scheme://user:password@host}. */
    private static final Pattern URL_PASSWORD = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@");

    private final CopyOnWriteArraySet<String> secrets = new CopyOnWriteArraySet<>();
    private volatile List<String> longestFirst = List.of();

    private Redactor() {}

    /** A redactor that masks the patterns only, until secrets are registered. */
    public static Redactor create() {
        return new Redactor();
    }

    /** A redactor that already knows {@code secrets}. */
    public static Redactor of(String... secrets) {
        Redactor redactor = new Redactor();
        for (String secret : secrets) {
            redactor.register(secret);
        }
        return redactor;
    }

    /**
     * Marks a value as secret from now on. A multi-line secret (a private key) also has each of its lines registered,
     * so a line quoted alone in an error message is masked too; the forms the value takes when shell-quoted or
     * URL-encoded are registered with it. Blank values are ignored: masking whitespace would hide everything and
     * protect nothing.
     */
    public Redactor register(String secret) {
        if (secret == null || secret.isBlank()) {
            return this;
        }
        List<String> forms = new ArrayList<>();
        forms.add(secret);
        forms.add(secret.strip());
        forms.add(secret.replace("'", "'\\''"));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"));
        if (secret.contains("\n")) {
            for (String line : secret.split("\\r?\\n")) {
                // Lines shorter than this are PEM armour or blank, not secret material.
                if (line.strip().length() >= 16) {
                    forms.add(line.strip());
                }
            }
        }
        synchronized (this) {
            secrets.addAll(forms);
            List<String> sorted = new ArrayList<>(secrets);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            longestFirst = List.copyOf(sorted);
        }
        return this;
    }

    public Redactor registerAll(Collection<String> values) {
        values.forEach(this::register);
        return this;
    }

    /** The text with every known secret and every secret-looking pattern replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : longestFirst) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        out = PEM_PRIVATE_KEY.matcher(out).replaceAll(MASK);
        out = GITHUB_TOKEN.matcher(out).replaceAll(MASK);
        out = AUTHORIZATION_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        out = SECRET_PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK + "@");
        return out;
    }

    /**
     * A deep copy of an audit value with every string (map keys included) redacted: maps become maps sorted by key
     * (so records are written in a stable order), collections and arrays become lists, numbers, booleans and null stay,
     * anything else is written as its redacted {@code toString()}. Non-finite doubles become strings, as JSON has no
     * literal for them.
     */
    public Object redactValue(Object value) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return value.toString();
        }
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return redactFields(map);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            collection.forEach(element -> out.add(redactValue(element)));
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(redactValue(Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Optional<?> optional) {
            return redactValue(optional.orElse(null));
        }
        return redact(value.toString());
    }

    /** {@link #redactValue} for a map of fields: sorted by key, every string redacted. */
    public Map<String, Object> redactFields(Map<?, ?> fields) {
        Map<String, Object> out = new TreeMap<>();
        fields.forEach((key, value) -> out.put(redact(String.valueOf(key)), redactValue(value)));
        return out;
    }

    /** A console that shows what {@code delegate} would, with secrets masked. */
    public Console console(Console delegate) {
        Redactor redactor = this;
        return new Console() {
            @Override
            public void info(String message) {
                delegate.info(redactor.redact(message));
            }

            @Override
            public void warn(String message) {
                delegate.warn(redactor.redact(message));
            }
        };
    }
}
