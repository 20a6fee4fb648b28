package io.github.flowupgrade.cli;

import io.github.flowupgrade.TerminalText;
import io.github.flowupgrade.audit.Redactor;
import java.io.IOException;
import java.io.Writer;

/**
 * Everything {@code flow} prints passes through here on its way out (picocli's out and err writers wrap it): progress,
 * remote output, {@code --json} results, the final {@code flow: <message>} line and the usage help. Secrets are masked
 * with the run's redactor and control characters from hosts are shown escaped instead of acting on the terminal.
 * Text is held until it is flushed ({@code println} on an auto-flushing {@code PrintWriter} flushes), so a secret
 * printed in pieces is masked whole.
 */
final class ScreenWriter extends Writer {
    /** Past this much text without a flush, the complete lines held so far are written. */
    private static final int MAX_HELD = 1 << 20;

    private final Writer out;
    private final Redactor redactor;
    private final StringBuilder held = new StringBuilder();

    ScreenWriter(Writer out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        synchronized (lock) {
            held.append(chars, offset, length);
            if (held.length() > MAX_HELD) {
                int lineEnd = held.lastIndexOf("\n");
                if (lineEnd >= 0) {
                    pass(lineEnd + 1);
                }
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (lock) {
            pass(held.length());
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            flush();
            out.close();
        }
    }

    private void pass(int length) throws IOException {
        if (length == 0) {
            return;
        }
        String text = held.substring(0, length);
        held.delete(0, length);
        out.write(TerminalText.safe(redactor.redact(text)));
    }
}
