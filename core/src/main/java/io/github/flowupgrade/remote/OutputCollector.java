package io.github.flowupgrade.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;

/**
 * Turns a command's two output streams into lines for a sink as the bytes arrive, while keeping memory bounded
 * whatever the volume: standard output is kept up to {@link #STDOUT_LIMIT} characters (enough for any git or
 * systemctl answer), standard error as its last {@link #STDERR_TAIL_LINES} lines, a line longer than
 * {@link #MAX_LINE_BYTES} is passed on in pieces. Every byte is counted and hashed. Both streams may be pumped from
 * different threads; the sink sees one line at a time.
 */
final class OutputCollector {
    static final int STDOUT_LIMIT = 1024 * 1024;
    static final int STDERR_TAIL_LINES = 40;
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final OutputSink sink;
    private final MessageDigest digest;
    private final StringBuilder stdout = new StringBuilder();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private boolean stdoutTruncated;
    private long bytes;

    OutputCollector(OutputSink sink) {
        this.sink = sink;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Reads {@code in} to its end, passing complete lines on and the partial last line at the end. */
    void pump(InputStream in, OutputSink.Stream stream) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        byte[] line = new byte[1024];
        int lineLength = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            synchronized (this) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
            int from = 0;
            while (from < n) {
                int newline = indexOf(buffer, (byte) '\n', from, n);
                int end = newline < 0 ? n : newline;
                int take = Math.min(end - from, MAX_LINE_BYTES - lineLength);
                if (lineLength + take > line.length) {
                    line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, lineLength + take)));
                }
                System.arraycopy(buffer, from, line, lineLength, take);
                lineLength += take;
                from += take;
                if (lineLength == MAX_LINE_BYTES) {
                    emit(stream, line, lineLength);
                    lineLength = 0;
                } else if (newline >= 0 && from == newline) {
                    emit(stream, line, lineLength);
                    lineLength = 0;
                    from++;
                }
            }
        }
        if (lineLength > 0) {
            emit(stream, line, lineLength);
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private void emit(OutputSink.Stream stream, byte[] raw, int length) {
        if (length > 0 && raw[length - 1] == '\r') {
            length--;
        }
        String text = new String(raw, 0, length, StandardCharsets.UTF_8);
        synchronized (this) {
            if (stream == OutputSink.Stream.STDOUT) {
                if (stdout.length() + text.length() + 1 <= STDOUT_LIMIT) {
                    stdout.append(text).append('\n');
                } else {
                    stdoutTruncated = true;
                }
            } else {
                stderrTail.addLast(text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
                if (stderrTail.size() > STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
            }
            sink.line(stream, text);
        }
    }

    synchronized String stdout() {
        return stdout.toString();
    }

    synchronized boolean stdoutTruncated() {
        return stdoutTruncated;
    }

    synchronized String stderrTail() {
        return String.join("\n", stderrTail);
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
