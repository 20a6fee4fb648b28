package io.github.flowupgrade.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's OpenSSH client run as its own process, host key checked strictly, as a user would run it. */
record OpenSshClient(Path identity, Path knownHosts, String host, int port, String login) {
    List<String> argv(String command) {
        List<String> argv = new ArrayList<>(List.of(
                "ssh",
                "-i",
                identity.toString(),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "IdentityAgent=none",
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
                "-p",
                Integer.toString(port),
                login + "@" + host));
        argv.add(command);
        return argv;
    }

    /** Runs {@code command} with its standard output discarded; returns the wall time in milliseconds. */
    double timeDiscarding(String command) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(argv(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("ssh " + command + " failed (exit " + process.exitValue() + "): "
                    + new String(err, StandardCharsets.UTF_8).strip());
        }
        return Stats.millisSince(started);
    }

    /** Runs {@code command} and returns its standard output. */
    String output(String command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(argv(command)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("ssh " + command + " failed (exit " + process.exitValue() + "): " + out);
        }
        return out;
    }
}
