package io.github.flowupgrade.remote;

import io.github.flowupgrade.commands.Batch;
import io.github.flowupgrade.commands.TimeLimit;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Splits the output of a {@link Batch} script back into one result per command, at the marker lines the script
 * prints after each. Thread-safe: the transport pumps standard output and standard error from two threads.
 */
final class BatchOutput implements OutputSink {
    private final Batch batch;
    private final String prefix;
    private final Part[] parts;
    private int stdoutIndex;
    private int stderrIndex;
    private double startUptime = Double.NaN;

    /** One command's share of the output. */
    private static final class Part {
        final StringBuilder stdout = new StringBuilder();
        final Deque<String> stderr = new ArrayDeque<>();
        final MessageDigest digest = sha256();
        long bytes;
        boolean pendingBlank;
        boolean pendingBlankErr;
        Integer exitCode;
        double uptime = Double.NaN;
    }

    BatchOutput(Batch batch) {
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
        boolean out = stream == Stream.STDOUT;
        int index = out ? stdoutIndex : stderrIndex;
        if (index >= parts.length) {
            return;
        }
        Part part = parts[index];
        // The marker starts with a newline, so output that ended with one shows a blank line before it: hold each
        // blank line back until the next line shows it was real.
        if (out) {
            if (part.pendingBlank) {
                append(part, "");
            }
            part.pendingBlank = line.isEmpty();
            if (!line.isEmpty()) {
                append(part, line);
            }
        } else {
            if (part.pendingBlankErr) {
                appendErr(part, "");
            }
            part.pendingBlankErr = line.isEmpty();
            if (!line.isEmpty()) {
                appendErr(part, line);
            }
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

    private static void append(Part part, String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        part.digest.update(bytes);
        part.bytes += bytes.length;
        if (part.stdout.length() + line.length() + 1 <= OutputCollector.STDOUT_LIMIT) {
            part.stdout.append(line).append('\n');
        }
    }

    private static void appendErr(Part part, String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        part.digest.update(bytes);
        part.bytes += bytes.length;
        part.stderr.addLast(line);
        if (part.stderr.size() > OutputCollector.STDERR_TAIL_LINES) {
            part.stderr.removeFirst();
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
    synchronized List<ExecResult> results(ExecResult whole, Duration stepLimit) {
        List<ExecResult> results = new ArrayList<>(parts.length);
        double previous = startUptime;
        boolean stopped = false;
        for (Part part : parts) {
            if (stopped) {
                results.add(null);
                continue;
            }
            long ms = part.uptime >= previous ? Math.round((part.uptime - previous) * 1000) : 0;
            previous = part.uptime;
            String stderr = String.join("\n", part.stderr);
            String sha = HexFormat.of().formatHex(part.digest.digest());
            if (part.exitCode == null) {
                // Ran, or was about to run, when the script ended: killed by the limit or cut off with the connection.
                results.add(new ExecResult(-1, part.stdout.toString(), stderr, part.bytes, sha, ms, whole.timedOut()));
                stopped = true;
                continue;
            }
            int code = part.exitCode;
            boolean timedOut = (code == TimeLimit.EXIT_TIMED_OUT || code == TimeLimit.EXIT_KILLED)
                    && Duration.ofMillis(Math.max(ms, whole.durationMs())).compareTo(stepLimit) >= 0;
            results.add(new ExecResult(code, part.stdout.toString(), stderr, part.bytes, sha, ms, timedOut));
        }
        // A required command that failed ended the script: the ones after it never ran.
        List<Batch.Step> steps = batch.steps();
        for (int i = 0; i < results.size(); i++) {
            ExecResult r = results.get(i);
            if (r != null && steps.get(i).required() && !r.succeeded()) {
                for (int j = i + 1; j < results.size(); j++) {
                    results.set(j, null);
                }
                break;
            }
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
