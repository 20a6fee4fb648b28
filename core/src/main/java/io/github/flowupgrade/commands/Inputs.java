package io.github.flowupgrade.commands;

import io.github.flowupgrade.FlowException;
import java.util.regex.Pattern;

/**
 * Validation of every value that reaches a host, done before any connection: quoting already makes values harmless to
 * the shell, but a clear refusal of a hostile or mistyped value is better than running git or systemctl with it.
 */
public final class Inputs {
    /** POSIX-portable user names as useradd accepts them by default. */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    /** Absolute paths of plain segments; no {@code ..}, no whitespace or shell metacharacters. */
    private static final Pattern DIR_SEGMENT = Pattern.compile("[A-Za-z0-9._@+-]+");

    /** systemd unit names, with template instances such as {@code mastodon-streaming@4000}. */
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9:_.@\\\\-]{0,250}");

    /** Host names (RFC 1123 labels), IPv4 and bracket-free IPv6 literals. */
    private static final Pattern HOST = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?|[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");

    /**
     * A full git commit id: 40 hex digits. An abbreviation names whichever object has that prefix, and a prefix can be
     * made to match a commit someone else created; only the full id pins a commit.
     */
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** GitHub's OWNER/NAME; names made only of dots are refused by {@link #repo}. */
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");

    private Inputs() {}

    public static String user(String user) {
        require(user, "user name");
        if (!USER.matcher(user).matches()) {
            throw FlowException.badInput("not a valid user name: " + printable(user)
                    + " (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32)");
        }
        return user;
    }

    public static String dir(String dir) {
        require(dir, "directory");
        if (dir.length() > 1024 || !dir.startsWith("/") || dir.equals("/")) {
            throw FlowException.badInput("not a valid application directory: " + printable(dir)
                    + " (an absolute path such as /home/mastodon/live)");
        }
        String body = dir.endsWith("/") ? dir.substring(1, dir.length() - 1) : dir.substring(1);
        for (String segment : body.split("/", -1)) {
            if (segment.equals(".")
                    || segment.equals("..")
                    || segment.startsWith("-")
                    || !DIR_SEGMENT.matcher(segment).matches()) {
                throw FlowException.badInput("not a valid application directory: " + printable(dir)
                        + " (plain path segments only: letters, digits, '.', '_', '-', '@', '+'; no '..')");
            }
        }
        return dir;
    }

    public static String unit(String unit) {
        require(unit, "service name");
        if (!UNIT.matcher(unit).matches()) {
            throw FlowException.badInput("not a valid systemd unit name: " + printable(unit)
                    + " (such as mastodon-web or mastodon-streaming@4000)");
        }
        return unit;
    }

    public static String host(String host) {
        require(host, "host");
        if (host.length() > 253 || host.startsWith("-") || !HOST.matcher(host).matches()) {
            throw FlowException.badInput("not a valid host name or address: " + printable(host));
        }
        return host;
    }

    public static int port(int port) {
        if (port < 1 || port > 65535) {
            throw FlowException.badInput("not a valid port: " + port + " (1 to 65535)");
        }
        return port;
    }

    /**
     * A GitHub repository, {@code OWNER/NAME}: the owner as GitHub allows account names, the name letters, digits,
     * {@code .}, {@code _} and {@code -} but never only dots ({@code .} and {@code ..} would move the API path that
     * the name becomes a part of).
     */
    public static String repo(String repo) {
        require(repo, "repository");
        int slash = repo.indexOf('/');
        String name = slash < 0 ? "" : repo.substring(slash + 1);
        if (!REPO.matcher(repo).matches() || name.chars().allMatch(c -> c == '.')) {
            throw FlowException.badInput("not a GitHub repository: " + printable(repo)
                    + " (OWNER/NAME as on GitHub, such as mastodon/mastodon)");
        }
        return repo;
    }

    public static String commit(String commit) {
        require(commit, "commit");
        if (!COMMIT.matcher(commit).matches()) {
            throw FlowException.badInput("not a full git commit id: " + printable(commit)
                    + " (40 lower-case hex digits, as git rev-parse" + " prints it; abbreviated ids are refused)");
        }
        return commit;
    }

    private static void require(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw FlowException.badInput("missing " + what);
        }
    }

    /** A value safe to put in an error message: control characters shown escaped, length bounded. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...\" (").append(value.length()).append(" characters)");
        } else {
            out.append('"');
        }
        return out.toString();
    }
}
