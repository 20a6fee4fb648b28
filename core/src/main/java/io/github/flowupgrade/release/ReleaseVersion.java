package io.github.flowupgrade.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version read from a tag, ordered as semver orders it: {@code v4.3.0-beta.1 < v4.3.0-rc.1 < v4.3.0 <
 * v4.3.1}. Besides semver with an optional {@code v} it reads Mastodon's old release candidates without a dash
 * ({@code v3.5.0rc1}) and keeps build metadata ({@code +glitch}, {@code +hometown-1.1.1}) out of the ordering. We use
 * this small record rather than semver4j because semver4j's strict parser rejects those old tags, and a lenient
 * parser that guesses would silently misorder them.
 */
public record ReleaseVersion(int major, int minor, int patch, List<String> preRelease, String build)
        implements Comparable<ReleaseVersion> {

    private static final Pattern FORM =
            Pattern.compile("v?(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})"
                    + "(?:-?((?:[0-9A-Za-z-]+)(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    public ReleaseVersion {
        preRelease = List.copyOf(preRelease);
    }

    /** The version a tag names, or empty for tags that are not versions ({@code nightly.2024-02-02}, {@code latest}). */
    public static Optional<ReleaseVersion> parse(String tag) {
        if (tag == null || tag.length() > 128) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(tag);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = new ArrayList<>();
        if (m.group(4) != null) {
            for (String part : m.group(4).split("\\.")) {
                pre.addAll(splitLegacy(part));
            }
        }
        return Optional.of(new ReleaseVersion(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                pre,
                m.group(5)));
    }

    /** {@code rc1} (Mastodon 3.x, 4.2) orders like {@code rc.1}, so {@code rc2 < rc10}. */
    private static List<String> splitLegacy(String part) {
        Matcher legacy = Pattern.compile("([A-Za-z-]+)([0-9]+)").matcher(part);
        if (legacy.matches()) {
            return List.of(legacy.group(1), legacy.group(2));
        }
        return List.of(part);
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** Same major and minor: the "series" of Mastodon's "deploy at least one release of every minor series". */
    public boolean sameSeries(ReleaseVersion other) {
        return major == other.major && minor == other.minor;
    }

    public String series() {
        return major + "." + minor;
    }

    @Override
    public int compareTo(ReleaseVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
            c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.size(), o.preRelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public String toString() {
        String core = major + "." + minor + "." + patch;
        String pre = preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease);
        return core + pre + (build == null ? "" : "+" + build);
    }
}
