package io.github.flowupgrade.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs a batch script (see {@code commands.Batch}) and drops the whole connection as the first command matching a
 * condition starts, as a dying network link would: the commands before it completed and their results reached the
 * client; the script is left running into a closed pipe, as OpenSSH leaves it, so the matching command runs to its
 * end unless it writes output, and the script dies at its next marker.
 */
final class DropMidBatch implements Command {
    private static final Pattern NONCE = Pattern.compile("FLOW-BATCH-[0-9a-f]{24}");

    private final String line;
    private final String dropAfter;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    private DropMidBatch(String line, String dropAfter) {
        this.line = line;
        this.dropAfter = dropAfter;
    }

    /** A command that drops the connection mid-script, or null when {@code line} has no matching command in it. */
    static DropMidBatch of(String line, Predicate<String> condition) {
        Matcher m = NONCE.matcher(line);
        if (!m.find()) {
            return null;
        }
        String nonce = m.group();
        String[] segments = line.split(nonce, -1);
        // Segment 2i+1 holds command i: it follows the start marker (i = 0) or command i-1's standard error marker.
        for (int i = 0; 2 * i + 1 < segments.length; i++) {
            if (condition.test(segments[2 * i + 1])) {
                return new DropMidBatch(line, nonce + (i == 0 ? " start" : " " + (i - 1) + " "));
            }
        }
        return null;
    }

    @Override
    public void setInputStream(InputStream in) {}

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Process process = new ProcessBuilder("/bin/sh", "-c", line).start();
        process.getOutputStream().close();
        Thread stderr = new Thread(() -> copy(process.getErrorStream(), err), "drop-mid-batch-stderr");
        stderr.setDaemon(true);
        stderr.start();
        Thread stdout = new Thread(
                () -> {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String l; (l = reader.readLine()) != null; ) {
                            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (l.startsWith(dropAfter)) {
                                // Graceful: what was written reaches the client first; then the link is gone.
                                channel.getSession().close(false).await(5000);
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // The connection is gone: what the script writes now meets a closed pipe.
                    } finally {
                        closeQuietly(process.getInputStream());
                        closeQuietly(process.getErrorStream());
                    }
                },
                "drop-mid-batch-stdout");
        stdout.setDaemon(true);
        stdout.start();
    }

    @Override
    public void destroy(ChannelSession channel) {
        // Left running, as sshd leaves a command whose client vanished.
    }

    private static void copy(InputStream in, OutputStream to) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // closed with the connection
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
