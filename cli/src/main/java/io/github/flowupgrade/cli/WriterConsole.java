package io.github.flowupgrade.cli;

import io.github.flowupgrade.Console;
import java.io.PrintWriter;

/** The CLI's console: progress lines to one writer, warnings to another; safe to use from several host threads. */
final class WriterConsole implements Console {
    private final PrintWriter info;
    private final PrintWriter warn;

    WriterConsole(PrintWriter info, PrintWriter warn) {
        this.info = info;
        this.warn = warn;
    }

    @Override
    public synchronized void info(String message) {
        info.println(message);
        info.flush();
    }

    @Override
    public synchronized void warn(String message) {
        warn.println(message);
        warn.flush();
    }
}
