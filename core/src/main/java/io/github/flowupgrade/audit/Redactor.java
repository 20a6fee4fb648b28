package io.github.flowupgrade.audit;

import io.github.flowupgrade.Console;
import java.lang.reflect.Array;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets with {@code ***} before anything is written to the audit trail or shown on the console. Two
 * defences: the exact values the run knows to be secret (private key content, passphrases, tokens, values the user
 * marks secret), registered as soon as they are read; and patterns that catch secrets it was never told about (PEM
 * private key blocks, GitHub tokens, {@code Authorization:} headers, {@code password=}, {@code DB_PASS: ...} and
 * {@code "token": "..."} fields, passwords in URLs). Thread-safe: hosts run in parallel, and a secret may be registered
 * while others redact.
 *
 * <p>A registered secret is found however the text around it encodes it: both sides are compared in a canonical form
 * in which URL escapes ({@code %20}, {@code %2f}, {@code %2F}), JSON escapes ({@code \"}, <code>&#92;u0041</code>), shell
 * quoting ({@code '\''}) are decoded, letters are lower-cased and {@code +} reads as a space; and its base64 (at any
 * alignment inside a longer encoding) and hex encodings are registered with it.
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

    /**
     * An HTTP authorization header (also {@code Proxy-Authorization}, also as a JSON field): the rest of the line is
     * the credential, up to a quote or backslash so that masking one inside JSON keeps the JSON valid.
     */
    private static final Pattern AUTHORIZATION_HEADER =
            Pattern.compile("(?i)(authorization\\\\?[\"']?[ \\t]*[:=][ \\t]*\\\\?[\"']?)[^\\r\\n\"'\\\\]+");

    /**
     * A name that holds a secret: {@code password}, {@code token}, {@code secret}... alone or as a part of a longer name
     * ({@code DB_PASS}, {@code SECRET_KEY_BASE}, {@code x-api-key}, {@code client_secret}, {@code dbPassword}).
     */
    private static final String SECRET_NAME = "(?<![A-Za-z0-9])(?:(?:[A-Za-z0-9]+[_.-])*"
            + "(?:password|passwd|passphrase|pass|pwd|token|secret|api[_-]?key|private[_-]?key|access[_-]?key"
            + "|credentials?)"
            // camelCase (dbPassword, apiToken), matched by case, so that NOPASSWD or bypass are words, not names
            + "|(?-i:[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*?(?:Password|Passwd|Passphrase|Pass|Pwd|Token|Secret|ApiKey"
            + "|PrivateKey|AccessKey|Credentials?)))(?:[_.-][A-Za-z0-9]+)*";

    /** A quoted value: JSON or shell double quotes, single quotes, or double quotes escaped inside a JSON string. */
    private static final String QUOTED =
            "\"(?:[^\"\\\\\\r\\n]|\\\\.)*\"|'[^'\\r\\n]*'|\\\\\"(?:[^\"\\\\\\r\\n]|\\\\[^\"\\r\\n])*\\\\\"";

    /** {@code password=...}, {@code --token=...}: a query string, a form, a command line, an env file. */
    private static final Pattern SECRET_ASSIGNMENT =
            Pattern.compile("(?i)(" + SECRET_NAME + "[ \\t]*=[ \\t]*)(" + QUOTED + "|[^\\s&#;,'\"\\\\]+)");

    /** {@code Password: ...}, {@code DB_PASS: ...}: a header or YAML line, where the value runs to the end of it. */
    private static final Pattern SECRET_LINE =
            Pattern.compile("(?i)(" + SECRET_NAME + "[ \\t]*:[ \\t]+)(" + QUOTED + "|[^\\r\\n\"'\\\\]+)");

    /** {@code "token": "..."} and {@code 'token': ...}: a JSON (or Python, Ruby) field. */
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(?i)(" + SECRET_NAME + "\\\\?[\"'][ \\t]*[:=]>?[ \\t]*)(" + QUOTED + "|[^\\s,}\\]\"'\\\\]+)");

    /** The last part of names that name a secret's place, not the secret: {@code --token-env=NAME}. */
    private static final Set<String> NOT_A_SECRET_VALUE =
            Set.of("env", "file", "path", "dir", "name", "source", "type", "url");

    /**
     * The password of {@code scheme://user:password@host}: to the last {@code @} before the path, so that a password
     * with an {@code @} in it ({@code https://u:p@ss@host}) is masked whole.
     */
    private static final Pattern URL_PASSWORD =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:?#\"'\\\\]+:)[^/\\s?#\"'\\\\]*@");

    /** Secrets shorter than this have no encoded forms registered: theirs would mask ordinary words. */
    private static final int MIN_ENCODED_BYTES = 6;

    private final Set<String> canonicalSecrets = new LinkedHashSet<>();
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
     * so a line quoted alone in an error message is masked too; the forms the value takes when shell-quoted,
     * URL-encoded, JSON-escaped, base64- or hex-encoded are registered with it. Blank values are ignored: masking
     * whitespace would hide everything and protect nothing.
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
        forms.addAll(encodings(secret.getBytes(StandardCharsets.UTF_8)));
        if (secret.contains("\n")) {
            for (String line : secret.split("\\r?\\n")) {
                // Lines shorter than this are PEM armour or blank, not secret material.
                if (line.strip().length() >= 16) {
                    forms.add(line.strip());
                }
            }
        }
        List<String> all = new ArrayList<>(forms);
        forms.forEach(form -> all.add(jsonEscaped(form)));
        synchronized (this) {
            for (String form : all) {
                String canonical = CanonicalText.of(form).text();
                if (!canonical.isBlank()) {
                    canonicalSecrets.add(canonical);
                }
            }
            List<String> sorted = new ArrayList<>(canonicalSecrets);
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
        String out = maskKnownSecrets(text);
        out = PEM_PRIVATE_KEY.matcher(out).replaceAll(MASK);
        out = GITHUB_TOKEN.matcher(out).replaceAll(MASK);
        out = AUTHORIZATION_HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        out = maskValues(SECRET_FIELD, out);
        out = maskValues(SECRET_ASSIGNMENT, out);
        out = maskValues(SECRET_LINE, out);
        out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK + "@");
        return out;
    }

    private String maskKnownSecrets(String text) {
        List<String> secrets = longestFirst;
        if (secrets.isEmpty()) {
            return text;
        }
        CanonicalText canonical = CanonicalText.of(text);
        String haystack = canonical.text();
        BitSet masked = null;
        for (String secret : secrets) {
            for (int at = haystack.indexOf(secret); at >= 0; at = haystack.indexOf(secret, at + 1)) {
                if (masked == null) {
                    masked = new BitSet(text.length());
                }
                masked.set(canonical.start(at), canonical.end(at + secret.length() - 1));
            }
        }
        if (masked == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int from = masked.nextSetBit(i);
            if (from < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, from).append(MASK);
            i = masked.nextClearBit(from);
        }
        return out.toString();
    }

    /** Masks group 2 of each match, keeping its quotes, unless the name says the value is only where a secret is. */
    private static String maskValues(Pattern pattern, String text) {
        return pattern.matcher(text).replaceAll(m -> {
            String name = m.group(1).replaceAll("[^A-Za-z0-9_.-].*$", "");
            String last = name.substring(
                    Math.max(Math.max(name.lastIndexOf('_'), name.lastIndexOf('-')), name.lastIndexOf('.')) + 1);
            if (NOT_A_SECRET_VALUE.contains(last.toLowerCase(Locale.ROOT))) {
                return Matcher.quoteReplacement(m.group());
            }
            String value = m.group(2);
            String quote = value.startsWith("\\\"")
                    ? "\\\""
                    : value.startsWith("\"") || value.startsWith("'") ? value.substring(0, 1) : "";
            return Matcher.quoteReplacement(m.group(1) + quote + MASK + quote);
        });
    }

    /**
     * The base64 (standard and URL-safe, at each of the three alignments a value can have inside a longer encoding)
     * and hex forms of a secret's bytes. At an offset only the characters that depend on the secret's bytes alone are
     * kept, so the form is found whatever comes before and after it.
     */
    private static List<String> encodings(byte[] bytes) {
        List<String> forms = new ArrayList<>();
        if (bytes.length < MIN_ENCODED_BYTES) {
            return forms;
        }
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        for (int offset = 0; offset < 3; offset++) {
            byte[] placed = new byte[offset + bytes.length + 2];
            System.arraycopy(bytes, 0, placed, offset, bytes.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(placed);
            String core = encoded.substring((8 * offset + 5) / 6, (8 * (offset + bytes.length)) / 6);
            forms.add(core);
            forms.add(core.replace('+', '-').replace('/', '_'));
        }
        forms.add(HexFormat.of().formatHex(bytes));
        return forms;
    }

    /** The value as it appears inside a JSON string. */
    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
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

    /**
     * A deep copy of a result (what a step returns, what {@code --json} prints) with every string redacted, keys
     * included, and nothing else changed: maps keep their order, collections and arrays become lists, numbers,
     * booleans and null stay as they are, anything else becomes its redacted {@code toString()}.
     */
    public Object redactResult(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, element) -> out.put(redact(String.valueOf(key)), redactResult(element)));
            return out;
        }
        if (value instanceof Collection<?> collection) {
            List<Object> out = new ArrayList<>(collection.size());
            collection.forEach(element -> out.add(redactResult(element)));
            return out;
        }
        if (value.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(redactResult(Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Optional<?> optional) {
            return redactResult(optional.orElse(null));
        }
        return redact(value.toString());
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
