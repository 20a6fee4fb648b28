package io.github.flowupgrade.audit;

import java.util.regex.Pattern;

/**
 * The CI build's address as flow keeps it: recorded in the audit trail, written into the host's lock and checkout
 * history, and so visible in {@code ps} on the host while those commands run. Jenkins' {@code BUILD_URL} never holds
 * credentials, but a URL typed or templated by hand may ({@code https://user:token@ci.example/job/7/}); they are
 * removed where the URL is taken in, so no later step can pass them on.
 */
public final class BuildUrl {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private BuildUrl() {}

    /**
     * {@code url} without user information (everything up to the last {@code @} of the authority, so {@code
     * https://u:p@ss@host/} loses all of {@code u:p@ss}), query and fragment (a build's address needs neither, and a
     * token hides there as well); null for null or blank.
     */
    public static String withoutCredentials(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String value = url.strip();
        var scheme = SCHEME.matcher(value);
        String prefix = scheme.lookingAt() ? value.substring(0, scheme.end()) : "";
        String rest = value.substring(prefix.length());
        if (!prefix.isEmpty()) {
            int cut = indexOfAny(rest, "?#");
            rest = cut < 0 ? rest : rest.substring(0, cut);
        }
        int authorityEnd = indexOfAny(rest, "/?#");
        String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0 && (!prefix.isEmpty() || authority.chars().noneMatch(Character::isWhitespace))) {
            rest = rest.substring(at + 1);
        }
        return prefix + rest;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
