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

    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
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
            if (!plain) {
                return false;
            }
        }
        // '=' is left out on purpose (a bare FOO=bar before a command is an assignment); a leading '~' would expand.
        return true;
    }
}
