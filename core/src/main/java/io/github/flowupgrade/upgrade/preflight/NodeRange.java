package io.github.flowupgrade.upgrade.preflight;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code package.json} {@code engines.node} range as npm writes them ({@code >=20.19}, {@code ^20.19.0 || >=22.12.0},
 * {@code 18.x}, {@code 20 - 22}, {@code *}), matched against a Node.js version. Enough of npm's semver ranges for what
 * Mastodon and its forks write; a range it cannot read is reported as such, never guessed.
 */
final class NodeRange {
    private static final Pattern PART = Pattern.compile("v?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?");
    private static final Pattern COMPARATOR = Pattern.compile("(>=|<=|>|<|=|\\^|~)?\\s*(" + PART.pattern() + ")");

    /** One alternative: every bound must hold. Bounds are {@code [op, major, minor, patch]}. */
    private final List<List<long[]>> alternatives;

    private NodeRange(List<List<long[]>> alternatives) {
        this.alternatives = alternatives;
    }

    /** The range, or null when it cannot be read. */
    static NodeRange parse(String range) {
        if (range == null || range.isBlank() || range.length() > 200) {
            return null;
        }
        List<List<long[]>> alternatives = new ArrayList<>();
        for (String alternative : range.split("\\|\\|")) {
            String text = alternative.strip();
            List<long[]> bounds = new ArrayList<>();
            Matcher hyphen = Pattern.compile("(" + PART.pattern() + ")\\s+-\\s+(" + PART.pattern() + ")")
                    .matcher(text);
            if (hyphen.matches()) {
                bounds.addAll(bounds(">=", hyphen.group(1)));
                bounds.addAll(bounds("<=", hyphen.group(5)));
                alternatives.add(bounds);
                continue;
            }
            if (text.isEmpty() || text.equals("*")) {
                alternatives.add(bounds);
                continue;
            }
            Matcher m = COMPARATOR.matcher(text);
            int at = 0;
            while (at < text.length()) {
                if (!m.find(at) || m.start() != at) {
                    return null;
                }
                bounds.addAll(bounds(m.group(1) == null ? "" : m.group(1), m.group(2)));
                at = m.end();
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
            }
            alternatives.add(bounds);
        }
        return new NodeRange(alternatives);
    }

    boolean matches(String version) {
        long[] v = exact(version);
        if (v == null) {
            return false;
        }
        for (List<long[]> bounds : alternatives) {
            if (bounds.stream().allMatch(b -> holds(b, v))) {
                return true;
            }
        }
        return false;
    }

    /** {@code v20.18.1} as {@code [20, 18, 1]}, or null. */
    static long[] exact(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version.strip());
        return m.lookingAt()
                ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))}
                : null;
    }

    /** A comparator as lower and upper bounds, npm's way: partial versions and {@code x} widen to a whole series. */
    private static List<long[]> bounds(String op, String version) {
        Matcher m = PART.matcher(version.strip());
        if (!m.matches()) {
            throw new IllegalStateException(version);
        }
        Long major = number(m.group(1));
        Long minor = number(m.group(2));
        Long patch = number(m.group(3));
        if (major == null) {
            return List.of(); // * or x: anything
        }
        long mi = minor == null ? 0 : minor;
        long pa = patch == null ? 0 : patch;
        long[] low = {major, mi, pa};
        // The first version past what a partial version covers: 20 -> 21.0.0, 20.19 -> 20.20.0.
        long[] next =
                minor == null ? new long[] {major + 1, 0, 0} : patch == null ? new long[] {major, mi + 1, 0} : null;
        List<long[]> out = new ArrayList<>();
        switch (op) {
            case ">=" -> out.add(bound(GE, low));
            case ">" -> out.add(next == null ? bound(GT, low) : bound(GE, next));
            case "<" -> out.add(bound(LT, low));
            case "<=" -> out.add(next == null ? bound(LE, low) : bound(LT, next));
            case "^" -> {
                out.add(bound(GE, low));
                out.add(bound(
                        LT,
                        major > 0
                                ? new long[] {major + 1, 0, 0}
                                : minor != null && mi > 0 ? new long[] {0, mi + 1, 0} : new long[] {0, 0, pa + 1}));
            }
            case "~" -> {
                out.add(bound(GE, low));
                out.add(bound(LT, minor == null ? new long[] {major + 1, 0, 0} : new long[] {major, mi + 1, 0}));
            }
            default -> {
                out.add(bound(GE, low));
                out.add(next == null ? bound(LE, low) : bound(LT, next));
            }
        }
        return out;
    }

    private static final long GE = 0;
    private static final long GT = 1;
    private static final long LT = 2;
    private static final long LE = 3;

    private static long[] bound(long op, long[] v) {
        return new long[] {op, v[0], v[1], v[2]};
    }

    private static boolean holds(long[] bound, long[] v) {
        int c = compare(v, new long[] {bound[1], bound[2], bound[3]});
        return switch ((int) bound[0]) {
            case 0 -> c >= 0;
            case 1 -> c > 0;
            case 2 -> c < 0;
            default -> c <= 0;
        };
    }

    static int compare(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static Long number(String part) {
        return part == null || part.equalsIgnoreCase("x") || part.equals("*") ? null : Long.valueOf(part);
    }
}
