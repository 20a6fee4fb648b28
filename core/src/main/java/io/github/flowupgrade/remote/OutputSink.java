package io.github.flowupgrade.remote;

/** Receives a remote command's output line by line, as it arrives, without the line terminator. */
@FunctionalInterface
public interface OutputSink {
    enum Stream {
        STDOUT,
        STDERR
    }

    void line(Stream stream, String line);

    static OutputSink discard() {
        return (stream, line) -> {};
    }
}
