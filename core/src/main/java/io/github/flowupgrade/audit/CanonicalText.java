package io.github.flowupgrade.audit;

/**
 * Text decoded the ways a secret gets encoded on its way to an output, for comparison only: URL escapes ({@code %2F},
 * {@code %2f}, multi-byte UTF-8), JSON escapes ({@code \"}, {@code \n}, <code>&#92;u00e9</code>), the shell's {@code '\''}
 * inside single quotes; letters lower-cased and {@code +} read as a space (a URL-encoded space). Each character keeps
 * the range of the original text it came from, so a match can be masked in the original.
 *
 * @param text the canonical text
 * @param starts for each character of {@code text}, where its source begins in the original
 * @param ends for each character of {@code text}, where its source ends in the original (exclusive)
 */
record CanonicalText(String text, int[] starts, int[] ends) {
    static CanonicalText of(String original) {
        int length = original.length();
        StringBuilder out = new StringBuilder(length);
        int[] starts = new int[length];
        int[] ends = new int[length];
        int i = 0;
        while (i < length) {
            char c = original.charAt(i);
            int consumed = 1;
            int codePoint = c;
            if (c == '%') {
                long decoded = percentDecoded(original, i);
                if (decoded >= 0) {
                    codePoint = (int) (decoded >>> 8);
                    consumed = (int) (decoded & 0xff);
                }
            } else if (c == '\\' && i + 1 < length) {
                char next = original.charAt(i + 1);
                int hex = next == 'u' ? hex(original, i + 2, 4) : -1;
                if (hex >= 0) {
                    codePoint = hex;
                    consumed = 6;
                } else {
                    int escaped = jsonEscape(next);
                    if (escaped >= 0) {
                        codePoint = escaped;
                        consumed = 2;
                    }
                }
            } else if (c == '\'' && original.startsWith("'\\''", i)) {
                consumed = 4;
            }
            for (char decoded : Character.toChars(codePoint)) {
                int at = out.length();
                // A multi-byte escape decodes to fewer characters than it consumed: the arrays never overflow.
                starts[at] = i;
                ends[at] = i + consumed;
                out.append(decoded == '+' ? ' ' : Character.toLowerCase(decoded));
            }
            i += consumed;
        }
        return new CanonicalText(out.toString(), starts, ends);
    }

    int start(int index) {
        return starts[index];
    }

    int end(int index) {
        return ends[index];
    }

    private static int jsonEscape(char c) {
        return switch (c) {
            case '"', '\\', '/' -> c;
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'f' -> '\f';
            default -> -1;
        };
    }

    /**
     * The code point of the UTF-8 sequence of {@code %XX} escapes at {@code at}, shifted left by 8, or'ed with the
     * number of characters it takes; -1 when there is none (a lone {@code %}, an invalid sequence).
     */
    private static long percentDecoded(String s, int at) {
        int lead = escapedByte(s, at);
        if (lead < 0) {
            return -1;
        }
        int count;
        int codePoint;
        if (lead < 0x80) {
            return ((long) lead << 8) | 3;
        } else if (lead >= 0xc2 && lead <= 0xdf) {
            count = 1;
            codePoint = lead & 0x1f;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            count = 2;
            codePoint = lead & 0x0f;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            count = 3;
            codePoint = lead & 0x07;
        } else {
            return -1;
        }
        for (int k = 1; k <= count; k++) {
            int next = escapedByte(s, at + 3 * k);
            if (next < 0x80 || next > 0xbf) {
                return -1;
            }
            codePoint = (codePoint << 6) | (next & 0x3f);
        }
        if (codePoint > Character.MAX_CODE_POINT
                || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
            return -1;
        }
        return ((long) codePoint << 8) | (3L * (count + 1));
    }

    /** The byte of a {@code %XX} escape at {@code at}, or -1. */
    private static int escapedByte(String s, int at) {
        if (at + 3 > s.length() || s.charAt(at) != '%') {
            return -1;
        }
        return hex(s, at + 1, 2);
    }

    /** The value of {@code digits} hex digits (either case) at {@code at}, or -1. */
    private static int hex(String s, int at, int digits) {
        if (at + digits > s.length()) {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < digits; k++) {
            int d = Character.digit(s.charAt(at + k), 16);
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }
}
