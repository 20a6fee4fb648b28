package io.github.flowupgrade.commands;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting: the only place that turns values into shell words. Every value is wrapped in single quotes,
 * inside which a POSIX shell interprets nothing; a single quote itself is written as {@code '\''}. Words made only of
 * characters that no shell treats specially stay bare, so commands read naturally in logs and dry runs.
 */
public final class Shell {
    private Shell() {}

    /** One value as one shell word, whatever it contains. NUL cannot be passed through a shell and is refused. */
    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell word cannot contain a NUL character");
        }
        if (!value.isEmpty() && isPlain(value)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Argument vector to a command line: each element becomes exactly one word. */
    public static String join(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    /**
     * Whether {@code line} is nothing but words as {@link #join} writes them (bare plain words and single-quoted
     * strings, one space apart): a command with no operator, redirection, expansion or assignment, which can be
     * exec'd without a shell.
     */
    public static boolean isArgv(String line) {
        if (line.isEmpty() || line.charAt(0) == ' ' || line.endsWith(" ")) {
            return false;
        }
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (line.charAt(i - 1) == ' ') {
                    return false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    return false;
                }
                i = end + 1;
            } else if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                i += 2;
            } else if (isPlainChar(c)) {
                i++;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isPlainChar(value.charAt(i))) {
                return false;
            }
        }
        // '=' is left out on purpose (a bare FOO=bar before a command is an assignment); a leading '~' would expand.
        return true;
    }

    private static boolean isPlainChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_'
                || c == '.'
                || c == '/'
                || c == ':'
                || c == '@'
                || c == '%'
                || c == '+'
                || c == ',';
    }
}
