package io.github.flowupgrade.remote;

import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.TimeLimit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits the output of a {@link Batch} script back into one result per command, at the marker lines the script
 * prints after each. Thread-safe: the transport pumps standard output and standard error from two threads.
 */
public final class BatchOutput implements OutputSink {
    private final Batch batch;
    private final String prefix;
    private final Part[] parts;
    private int stdoutIndex;
    private int stderrIndex;
    private double startUptime = Double.NaN;

    /** One command's share of the output. */
    private static final class Part {
        final KeptOutput kept = new KeptOutput();
        final MessageDigest digest = sha256();
        long bytes;
        /** Per stream: a blank line held back until the next line shows it was the command's own. */
        final boolean[] pendingBlank = new boolean[OutputSink.Stream.values().length];

        Integer exitCode;
        double uptime = Double.NaN;

        void keep(OutputSink.Stream stream, String line) {
            byte[] raw = (line + "\n").getBytes(StandardCharsets.UTF_8);
            digest.update(raw);
            bytes += raw.length;
            kept.keep(stream, line);
        }
    }

    public BatchOutput(Batch batch) {
        this.batch = batch;
        this.prefix = batch.nonce() + " ";
        this.parts = new Part[batch.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = new Part();
        }
    }

    @Override
    public synchronized void line(Stream stream, String line) {
        if (line.startsWith(prefix)) {
            marker(stream, line.substring(prefix.length()).split(" ", -1));
            return;
        }
        int index = stream == Stream.STDOUT ? stdoutIndex : stderrIndex;
        if (index >= parts.length) {
            return;
        }
        Part part = parts[index];
        // The marker starts with a newline, so output that ended with one shows a blank line before it: hold each
        // blank line back until the next line shows it was real.
        int s = stream.ordinal();
        if (part.pendingBlank[s]) {
            part.keep(stream, "");
        }
        part.pendingBlank[s] = line.isEmpty();
        if (!line.isEmpty()) {
            part.keep(stream, line);
        }
    }

    private void marker(Stream stream, String[] fields) {
        if (fields.length >= 1 && fields[0].equals("start")) {
            startUptime = parse(fields.length > 1 ? fields[1] : "");
            return;
        }
        if (stream == Stream.STDOUT) {
            if (stdoutIndex < parts.length && fields.length >= 2) {
                Part part = parts[stdoutIndex];
                part.exitCode = parseInt(fields[1]);
                part.uptime = fields.length > 2 ? parse(fields[2]) : Double.NaN;
            }
            stdoutIndex++;
        } else {
            stderrIndex++;
        }
    }

    /**
     * One result per command, in order; null for a command that never started (a required one before it failed, or
     * the script was stopped first). The command running when the script ended without its marker gets exit status
     * -1 and {@code timedOut} from the whole script's result.
     *
     * @param whole the script's own result
     * @param stepLimit the time limit each command ran under, to tell a command the limit stopped
     */
    public synchronized List<ExecResult> results(ExecResult whole, Duration stepLimit) {
        List<ExecResult> results = new ArrayList<>(parts.length);
        List<Batch.Step> steps = batch.steps();
        double previous = startUptime;
        boolean stopped = false;
        for (int i = 0; i < parts.length; i++) {
            Part part = parts[i];
            if (stopped) {
                results.add(null);
                continue;
            }
            long ms = part.uptime >= previous ? Math.round((part.uptime - previous) * 1000) : 0;
            previous = part.uptime;
            String stdout = part.kept.stdout();
            String stderr = part.kept.stderrTail();
            String sha = HexFormat.of().formatHex(part.digest.digest());
            if (part.exitCode == null) {
                // Ran, or was about to run, when the script ended: killed by the limit or cut off with the connection.
                results.add(new ExecResult(-1, stdout, stderr, part.bytes, sha, ms, whole.timedOut()));
                stopped = true;
                continue;
            }
            int code = part.exitCode;
            boolean timedOut = (code == TimeLimit.EXIT_TIMED_OUT || code == TimeLimit.EXIT_KILLED)
                    && Duration.ofMillis(Math.max(ms, whole.durationMs())).compareTo(stepLimit) >= 0;
            ExecResult result = new ExecResult(code, stdout, stderr, part.bytes, sha, ms, timedOut);
            results.add(result);
            // A required command that failed ended the script: the ones after it never ran.
            stopped = steps.get(i).required() && !result.succeeded();
        }
        return results;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static Integer parseInt(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
