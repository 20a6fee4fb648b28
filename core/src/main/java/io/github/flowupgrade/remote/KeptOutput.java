package io.github.flowupgrade.remote;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a result keeps of a command's output lines, bounded whatever the volume: standard output up to {@link
 * OutputCollector#STDOUT_LIMIT} characters (enough for any git or systemctl answer), standard error as its last {@link
 * OutputCollector#STDERR_TAIL_LINES} lines, each cut at {@value #STDERR_LINE_CHARS} characters. Not thread-safe: its
 * owner holds the lock.
 */
final class KeptOutput {
    private static final int STDERR_LINE_CHARS = 2000;

    private final StringBuilder stdout = new StringBuilder();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private boolean stdoutTruncated;

    void keep(OutputSink.Stream stream, String line) {
        if (stream == OutputSink.Stream.STDOUT) {
            if (stdout.length() + line.length() + 1 <= OutputCollector.STDOUT_LIMIT) {
                stdout.append(line).append('\n');
            } else {
                stdoutTruncated = true;
            }
        } else {
            stderrTail.addLast(line.length() > STDERR_LINE_CHARS ? line.substring(0, STDERR_LINE_CHARS) + "..." : line);
            if (stderrTail.size() > OutputCollector.STDERR_TAIL_LINES) {
                stderrTail.removeFirst();
            }
        }
    }

    String stdout() {
        return stdout.toString();
    }

    boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    String stderrTail() {
        return String.join("\n", stderrTail);
    }
}
