package io.github.flowupgrade.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads, from one release's notes, every statement that a rolling update is not supported from versions before some
 * release ({@link RollingCutoff}). The notes say it in several ways, all read here: the overview flag ("Rolling
 * updates from versions earlier than Mastodon 4.2 are not supported"), the upgrade notes ("do not perform a rolling
 * update from versions of Mastodon earlier than v4.2.0"), the changelog ("zero-downtime updates are only supported if
 * you're coming from 4.2.0 or newer. If you want to skip Mastodon 4.2, you will need to completely stop Mastodon
 * services"), the migration's own refusal ("Zero-downtime migrations from Mastodon versions earlier than 4.2.0 are not
 * supported") and an announcement for a later release ("Updating to this version will be required for zero-downtime
 * migration to the upcoming Mastodon 5.0"). Each cut-off is kept once, with the first sentence that said it.
 */
public final class RollingCutoffs {
    private static final String VERSION = "v?(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?";
    private static final String NAME = "(?:[a-z][\\w-]* )?";
    private static final String ZERO_DOWNTIME = "(?:rolling|zero-downtime|zero downtime|no-downtime)";
    private static final String UPDATES = "(?:update|upgrade|migration|deploy|deployment|restart)s?";

    /** "rolling updates from (versions of Mastodon) earlier than (Mastodon) 4.2", with a negation in the sentence. */
    private static final Pattern EARLIER_THAN = Pattern.compile(ZERO_DOWNTIME + " " + UPDATES
            + " from (?:any )?(?:versions? )?(?:of " + NAME + ")?" + NAME
            + "(?:versions? )?(?:earlier|older|lower|prior)"
            + " (?:than|to) " + NAME + VERSION);

    /** "zero-downtime updates are only supported if you're coming from 4.2.0 or newer". */
    private static final Pattern ONLY_FROM = Pattern.compile(ZERO_DOWNTIME + " " + UPDATES
            + " (?:are|is) only (?:supported|possible) (?:if|when) (?:you're|you are) (?:coming|updating|upgrading)"
            + " from " + NAME + VERSION + " or (?:newer|later|above)");

    /** "If you want to skip Mastodon 4.2, you will need to completely stop Mastodon services". */
    private static final Pattern SKIP_MEANS_STOP =
            Pattern.compile("skip " + NAME + VERSION + ",? you(?: will)? (?:need|have) to (?:completely |fully )?stop");

    /** "Updating to this version will be required for zero-downtime migration to the upcoming Mastodon 5.0". */
    private static final Pattern REQUIRED_FOR_LATER = Pattern.compile(
            "(?:updating|upgrading) to this (?:version|release) (?:will be|is) (?:required|needed|necessary) for (?:a )?"
                    + ZERO_DOWNTIME + " " + UPDATES + " to (?:the )?(?:upcoming |next )?" + NAME + VERSION);

    private static final Pattern NEGATION =
            Pattern.compile("\\b(?:not supported|unsupported|not possible|do not|don't|cannot|can't|never)\\b");

    private static final int MAX_TEXT = 240;

    private RollingCutoffs() {}

    /** The cut-offs the notes of {@code tag} state; none when the tag is not a version. */
    public static List<RollingCutoff> read(String tag, String body) {
        Optional<ReleaseVersion> parsed = ReleaseVersion.parse(tag);
        if (parsed.isEmpty() || body == null || body.isBlank()) {
            return List.of();
        }
        ReleaseVersion release = withoutBuild(parsed.get());
        List<RollingCutoff> found = new ArrayList<>();
        for (String sentence : sentences(body)) {
            String text = plain(sentence);
            String lower = text.toLowerCase(Locale.ROOT);
            Matcher m = EARLIER_THAN.matcher(lower);
            if (m.find() && NEGATION.matcher(lower).find()) {
                add(found, tag, version(m, 1), release, text);
                continue;
            }
            m = ONLY_FROM.matcher(lower);
            if (m.find()) {
                add(found, tag, version(m, 1), release, text);
                continue;
            }
            m = SKIP_MEANS_STOP.matcher(lower);
            if (m.find()) {
                add(found, tag, version(m, 1), release, text);
                continue;
            }
            m = REQUIRED_FOR_LATER.matcher(lower);
            if (m.find()) {
                add(found, tag, release, version(m, 1), text);
            }
        }
        return List.copyOf(found);
    }

    private static void add(
            List<RollingCutoff> found, String tag, ReleaseVersion minimum, ReleaseVersion appliesFrom, String text) {
        if (minimum.compareTo(appliesFrom) > 0) {
            return; // a minimum above the releases it would apply to names no hop that could ever start there
        }
        boolean known = found.stream()
                .anyMatch(c -> c.minimum().equals(minimum) && c.appliesFrom().equals(appliesFrom));
        if (!known) {
            String shown = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
            found.add(new RollingCutoff(tag, minimum, appliesFrom, shown));
        }
    }

    /** Lines, then sentences: overview flags end in a hard break, not in a full stop. */
    private static List<String> sentences(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\\R")) {
            for (String sentence : line.split("(?<=[.!?;])\\s+")) {
                if (!sentence.isBlank()) {
                    out.add(sentence);
                }
            }
        }
        return out;
    }

    /** Markdown emphasis, code marks, emoji shortcodes and typographic quotes out; whitespace collapsed. */
    static String plain(String markdown) {
        return markdown.replace('\u2019', '\'')
                .replace('\u2018', '\'')
                .replace('\u201c', '"')
                .replace('\u201d', '"')
                .replaceAll(":[a-z_]+:", " ")
                .replaceAll("[*`\\\\]|(?<![\\w])_|_(?![\\w])", "")
                .replaceAll("^\\s*(?:[-+>]|\\d+\\.)\\s+", "")
                .replaceAll("\\s+", " ")
                .strip();
    }

    private static ReleaseVersion version(Matcher m, int group) {
        int major = Integer.parseInt(m.group(group));
        int minor = Integer.parseInt(m.group(group + 1));
        int patch = m.group(group + 2) == null ? 0 : Integer.parseInt(m.group(group + 2));
        return new ReleaseVersion(major, minor, patch, List.of(), null);
    }

    private static ReleaseVersion withoutBuild(ReleaseVersion v) {
        return new ReleaseVersion(v.major(), v.minor(), v.patch(), v.preRelease(), null);
    }
}
