package io.github.flowupgrade;

/**
 * Text made safe to show on an operator's terminal: control characters other than newline and tab (escape sequences
 * that recolour, hide, retitle or clear, a carriage return that overwrites a line, C1 controls such as the one-byte
 * CSI) are shown as {@code \}{@code u001b} instead of acting. Output of remote programs (a git hook's stderr, a task's
 * progress) reaches the console this way; the same form is a valid escape inside a JSON string, so JSON output stays
 * valid.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String safe(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed =
                    c == '\n' || c == '\t' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
            if (Character.isISOControl(c) && !allowed) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
