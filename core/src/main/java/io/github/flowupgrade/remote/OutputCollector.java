package io.github.flowupgrade.remote;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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

    /** Eight bytes of a byte array at once, for {@link #indexOfNewline}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final OutputSink sink;
    private final MessageDigest digest;
    private final KeptOutput kept = new KeptOutput();
    private long bytes;

    OutputCollector(OutputSink sink) {
        this.sink = sink;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Reads {@code in} to its end, passing complete lines on and the partial last line at the end. A line that lies
     * whole in the read buffer goes to the sink straight from it; only a line cut by a read boundary (or one longer
     * than {@link #MAX_LINE_BYTES}) is gathered in a separate buffer first.
     */
    void pump(InputStream in, OutputSink.Stream stream) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        byte[] line = new byte[1024];
        int lineLength = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            synchronized (this) {
                digest.update(buffer, 0, n);
                bytes += n;
                int from = 0;
                while (from < n) {
                    int newline = indexOfNewline(buffer, from, n);
                    if (lineLength == 0 && newline >= 0 && newline - from < MAX_LINE_BYTES) {
                        emit(stream, buffer, from, newline - from);
                        from = newline + 1;
                        continue;
                    }
                    int end = newline < 0 ? n : newline;
                    int take = Math.min(end - from, MAX_LINE_BYTES - lineLength);
                    if (lineLength + take > line.length) {
                        line = Arrays.copyOf(
                                line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, lineLength + take)));
                    }
                    System.arraycopy(buffer, from, line, lineLength, take);
                    lineLength += take;
                    from += take;
                    if (lineLength == MAX_LINE_BYTES) {
                        emit(stream, line, 0, lineLength);
                        lineLength = 0;
                    } else if (newline >= 0 && from == newline) {
                        emit(stream, line, 0, lineLength);
                        lineLength = 0;
                        from++;
                    }
                }
            }
        }
        if (lineLength > 0) {
            synchronized (this) {
                emit(stream, line, 0, lineLength);
            }
        }
    }

    /**
     * The index of the first {@code '\n'} in {@code bytes[from, to)}, or -1; eight bytes per step, since this scan
     * runs over every byte of a command's output. In a word XORed with newlines a newline byte becomes zero; the
     * lowest zero byte is the lowest one whose high bit survives {@code (x - 0x01..) & ~x & 0x80..} (a borrow only
     * corrupts the bytes above it).
     */
    static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
            long zeros = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Hands one line (without its newline, and without a final carriage return) on; the caller holds the lock. */
    private void emit(OutputSink.Stream stream, byte[] raw, int offset, int length) {
        if (length > 0 && raw[offset + length - 1] == '\r') {
            length--;
        }
        String text = new String(raw, offset, length, StandardCharsets.UTF_8);
        kept.keep(stream, text);
        sink.line(stream, text);
    }

    synchronized String stdout() {
        return kept.stdout();
    }

    synchronized boolean stdoutTruncated() {
        return kept.stdoutTruncated();
    }

    synchronized String stderrTail() {
        return kept.stderrTail();
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
