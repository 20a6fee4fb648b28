package io.github.flowupgrade.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chain head a trail keeps beside itself ({@code trail.jsonl.head}): how many records the writer has written and
 * the SHA-256 of the last one, rewritten after every record. The trail alone cannot show that lines were cut off its
 * end at a run boundary (what remains is a well-formed chain); compared with this file, any cut shows, and a later
 * run refuses to append to a cut trail instead of closing its last run as abandoned. It does not stop someone who
 * rewrites both files: for that, keep the head printed at the end of a run elsewhere ({@code verify --head}).
 *
 * @param records the number of records written (the last {@code seq})
 * @param head the hex SHA-256 of the last record's line
 */
public record AuditHead(long records, String head) {
    private static final Pattern LINE = Pattern.compile("\\{\"records\":([0-9]{1,18}),\"head\":\"([0-9a-f]{64})\"}\n?");

    public AuditHead {
        if (records < 1 || head == null || !head.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a head: " + records + " " + head);
        }
    }

    /** Where the head of {@code trail} is kept: beside it, its name plus {@code .head}. */
    public static Path fileFor(Path trail) {
        return trail.resolveSibling(trail.getFileName() + ".head");
    }

    /** The file's one line: {@code {"records":42,"head":"<sha256>"}}. */
    String line() {
        return "{\"records\":" + records + ",\"head\":\"" + head + "\"}\n";
    }

    byte[] bytes() {
        return line().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The head kept beside {@code trail}: empty when there is no such file.
     *
     * @throws IOException when it exists but cannot be read, or holds anything but one head line
     */
    static Optional<AuditHead> read(Path trail) throws IOException {
        Path file = fileFor(trail);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        Matcher m = LINE.matcher(text);
        if (!m.matches()) {
            throw new IOException(
                    file.getFileName() + " is not a head file (expected {\"records\":N,\"head\":\"<sha256>\"})");
        }
        try {
            return Optional.of(new AuditHead(Long.parseLong(m.group(1)), m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file.getFileName() + " is not a head file: " + e.getMessage(), e);
        }
    }
}
