package io.github.flowupgrade.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a local program for a fixture and returns its output; a failure fails the test with the program's output. */
public final class LocalProcess {
    private LocalProcess() {}

    /** Output (stdout and stderr merged) and exit status of a finished program. */
    public record Result(int exitCode, String output) {}

    public static String run(Path dir, Map<String, String> env, String... argv) {
        Result result = attempt(dir, env, argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", argv) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    public static String run(String... argv) {
        return run(null, Map.of(), argv);
    }

    public static Result attempt(Path dir, Map<String, String> env, String... argv) {
        ProcessBuilder builder = new ProcessBuilder(List.of(argv)).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish in 120 s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether a process whose command line contains {@code marker} is running on this machine. */
    public static boolean anyProcessContains(String marker) {
        return ProcessHandle.allProcesses()
                .anyMatch(
                        p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
    }
}
