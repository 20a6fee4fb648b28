package io.github.flowupgrade.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The line splitting of {@link OutputCollector} against a plain model of its rules, on random output arriving in random
 * read sizes: lines end at {@code '\n'}, lose one final {@code '\r'}, a line of {@link OutputCollector#MAX_LINE_BYTES}
 * or more goes out in pieces of that size (a newline right after a full piece then ends an empty line), and an
 * unterminated last line is passed on at the end.
 */
class OutputCollectorSplitTest {
    private static final int MAX = OutputCollector.MAX_LINE_BYTES;

    @Test
    void findsTheFirstNewlineFromEveryOffset() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(70)];
            for (int i = 0; i < bytes.length; i++) {
                int kind = random.nextInt(6);
                bytes[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? 0x8a : kind == 2 ? 0x0b : random.nextInt(256));
            }
            for (int from = 0; from <= bytes.length; from++) {
                for (int to = from; to <= bytes.length; to++) {
                    assertThat(OutputCollector.indexOfNewline(bytes, from, to))
                            .as("%s from %d to %d", Arrays.toString(bytes), from, to)
                            .isEqualTo(naiveIndexOf(bytes, from, to));
                }
            }
        }
    }

    private static int naiveIndexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void splitsRandomOutputLikeTheModelWhateverTheReadSizes() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 40; round++) {
            byte[] output = randomOutput(random);
            List<String> lines = new ArrayList<>();
            OutputCollector collector = new OutputCollector((stream, line) -> lines.add(line));
            int maxRead = 1 + random.nextInt(round % 3 == 0 ? 16 : 70_000);
            collector.pump(new RandomReads(output, maxRead, random), OutputSink.Stream.STDOUT);
            List<String> expected = model(output);
            assertThat(lines)
                    .as("round %d, reads of up to %d bytes", round, maxRead)
                    .isEqualTo(expected);
            assertThat(collector.bytes()).isEqualTo(output.length);
            assertThat(collector.sha256())
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(output)));
            StringBuilder stdout = new StringBuilder();
            for (String line : expected) {
                if (stdout.length() + line.length() + 1 <= OutputCollector.STDOUT_LIMIT) {
                    stdout.append(line).append('\n');
                }
            }
            assertThat(collector.stdout()).isEqualTo(stdout.toString());
        }
    }

    /** Short and long lines, CRLF endings, multi-byte characters, lines of exactly the piece size and around it. */
    private static byte[] randomOutput(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int lines = random.nextInt(200);
        for (int i = 0; i < lines; i++) {
            int length = switch (random.nextInt(12)) {
                case 0 -> 0;
                case 1 -> MAX;
                case 2 -> MAX - 1;
                case 3 -> MAX + 1;
                case 4 -> 2 * MAX + random.nextInt(3) - 1;
                case 5 -> random.nextInt(3 * MAX);
                default -> random.nextInt(200);
            };
            for (int b = 0; b < length; b++) {
                int kind = random.nextInt(40);
                if (kind == 0) {
                    out.writeBytes("é".getBytes(StandardCharsets.UTF_8));
                } else if (kind == 1) {
                    out.write('\r');
                } else {
                    out.write(' ' + random.nextInt(95));
                }
            }
            if (random.nextInt(5) == 0) {
                out.write('\r');
            }
            if (i < lines - 1 || random.nextBoolean()) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static List<String> model(byte[] output) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < output.length) {
            int newline = naiveIndexOf(output, start, output.length);
            boolean terminated = newline >= 0;
            int end = terminated ? newline : output.length;
            int at = start;
            while (end - at >= MAX) {
                lines.add(piece(output, at, MAX));
                at += MAX;
            }
            if (at < end) {
                lines.add(piece(output, at, end - at));
            } else if (terminated) {
                lines.add("");
            }
            start = end + 1;
        }
        return lines;
    }

    private static String piece(byte[] bytes, int offset, int length) {
        if (length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** Hands out {@code bytes} in reads of random sizes up to {@code maxRead}. */
    private static final class RandomReads extends InputStream {
        private final byte[] bytes;
        private final int maxRead;
        private final Random random;
        private int position;

        RandomReads(byte[] bytes, int maxRead, Random random) {
            this.bytes = bytes;
            this.maxRead = maxRead;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(maxRead)), bytes.length - position);
            System.arraycopy(bytes, position, into, offset, n);
            position += n;
            return n;
        }
    }
}
