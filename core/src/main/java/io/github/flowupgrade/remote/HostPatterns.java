package io.github.flowupgrade.remote;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The host names field of a known_hosts line, matched against a name as OpenSSH's {@code ssh} does (hostfile.c
 * {@code match_maybe_hashed}, match.c {@code match_pattern_list}): either one hashed name {@code |1|salt|hash}, or a
 * comma-separated list of patterns with {@code *} and {@code ?}, compared without regard to case, where a pattern
 * preceded by {@code !} that matches makes the whole line not apply, and a list needs at least one positive match.
 */
final class HostPatterns {
    private static final String HASH_MAGIC = "|1|";
    private static final int SHA1_BYTES = 20;
    /** OpenSSH copies each pattern into a 1024-byte buffer and treats a longer one as no match of the whole list. */
    private static final int MAX_PATTERN = 1023;

    private HostPatterns() {}

    /**
     * Whether {@code field} names {@code name} ({@code host} or {@code [host]:port}, in lower case as {@code ssh} makes
     * it: a hashed name is compared as given).
     */
    static boolean matches(String field, String name) {
        if (field.startsWith("|")) {
            return hashedMatches(field, name);
        }
        return patternList(asciiLower(name), field) == 1;
    }

    /** 1 for a positive match, -1 when a negated pattern matches, 0 otherwise (match_pattern_list). */
    static int patternList(String name, String list) {
        boolean positive = false;
        int i = 0;
        while (i < list.length()) {
            boolean negated = list.charAt(i) == '!';
            if (negated) {
                i++;
            }
            int end = list.indexOf(',', i);
            if (end < 0) {
                end = list.length();
            }
            if (end - i >= MAX_PATTERN) {
                return 0;
            }
            String pattern = asciiLower(list.substring(i, end));
            i = end < list.length() ? end + 1 : end;
            if (glob(name, pattern)) {
                if (negated) {
                    return -1;
                }
                positive = true;
            }
        }
        return positive ? 1 : 0;
    }

    /** {@code *} matches any run of characters, {@code ?} any one; everything else only itself (match_pattern). */
    static boolean glob(String s, String pattern) {
        int si = 0;
        int pi = 0;
        int star = -1;
        int resume = 0;
        while (si < s.length()) {
            if (pi < pattern.length() && (pattern.charAt(pi) == '?' || pattern.charAt(pi) == s.charAt(si))) {
                si++;
                pi++;
            } else if (pi < pattern.length() && pattern.charAt(pi) == '*') {
                star = pi++;
                resume = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++resume;
            } else {
                return false;
            }
        }
        while (pi < pattern.length() && pattern.charAt(pi) == '*') {
            pi++;
        }
        return pi == pattern.length();
    }

    /**
     * A hashed name: {@code |1|} base64(20-byte salt) {@code |} base64(HMAC-SHA1(salt, name)). A malformed one matches
     * nothing (OpenSSH skips the line).
     */
    private static boolean hashedMatches(String field, String name) {
        if (!field.startsWith(HASH_MAGIC)) {
            return false;
        }
        int delimiter = field.indexOf('|', HASH_MAGIC.length());
        if (delimiter < 0) {
            return false;
        }
        String encodedSalt = field.substring(HASH_MAGIC.length(), delimiter);
        if (encodedSalt.isEmpty() || encodedSalt.length() > 1024) {
            return false;
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(encodedSalt);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (salt.length != SHA1_BYTES) {
            return false;
        }
        String expected = HASH_MAGIC + Base64.getEncoder().encodeToString(salt) + "|" + hash(salt, name);
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JVM", e);
        }
    }

    /** OpenSSH lower-cases patterns with the C locale's tolower: ASCII letters only. */
    private static String asciiLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return out.toString();
    }
}
