package io.github.flowupgrade.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A shell command line to run on a host, as a value: built only from quoted words and a few fixed operators, so no
 * input can change its structure. Transports (SSH, dry run) execute the same values; builders in this package return
 * them with no I/O, so their tests compare exact strings.
 *
 * @param line the command line as {@code /bin/sh -c} receives it
 * @param redacted the same line safe to print and audit (equal to {@code line} unless a secret was passed)
 */
public record Command(String line, String redacted) {
    public Command {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(redacted, "redacted");
        if (line.isBlank()) {
            throw new IllegalArgumentException("empty command");
        }
    }

    /** An argument vector: each element becomes exactly one shell word. */
    public static Command of(String... argv) {
        return of(Arrays.asList(argv));
    }

    public static Command of(List<String> argv) {
        String line = Shell.join(argv);
        return new Command(line, line);
    }

    /** Runs this command only when {@code next} ... is run after it succeeded: {@code a && b}. */
    public Command and(Command next) {
        return new Command(line + " && " + next.line, redacted + " && " + next.redacted);
    }

    /** Runs {@code next} whatever this command's status: {@code a; b}. */
    public Command then(Command next) {
        return new Command(line + "; " + next.line, redacted + "; " + next.redacted);
    }

    /** Runs {@code next} only when this command failed: {@code a || b}. */
    public Command or(Command next) {
        return new Command(line + " || " + next.line, redacted + " || " + next.redacted);
    }

    /** Writes this command's standard output to {@code file}, replacing it: {@code a > file}. */
    public Command redirectTo(String file) {
        String target = " > " + Shell.quote(file);
        return new Command(line + target, redacted + target);
    }

    /** Appends this command's standard output to {@code file}: {@code a >> file}. */
    public Command appendTo(String file) {
        String target = " >> " + Shell.quote(file);
        return new Command(line + target, redacted + target);
    }

    /** Feeds this command's standard output to {@code next}: {@code a | b}. */
    public Command pipe(Command next) {
        return new Command(line + " | " + next.line, redacted + " | " + next.redacted);
    }

    /** Runs this command (with its operators) in {@code dir}, in a subshell so the directory change stays local. */
    public Command in(String dir) {
        String cd = "cd " + Shell.quote(dir) + " && ";
        return new Command("(" + cd + line + ")", "(" + cd + redacted + ")");
    }

    /** Prefixes environment assignments ({@code env K=V ... sh -c 'line'}), which keeps them for the whole line. */
    public Command withEnv(Map<String, String> env) {
        if (env.isEmpty()) {
            return this;
        }
        List<String> argv = new ArrayList<>();
        argv.add("env");
        env.forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an environment variable name: " + k);
            }
            argv.add(k + "=" + v);
        });
        argv.add("sh");
        argv.add("-c");
        String prefix = Shell.join(argv) + " ";
        return new Command(prefix + Shell.quote(line), prefix + Shell.quote(redacted));
    }

    /**
     * Prints {@code probe}'s output and succeeds only when it is exactly {@code expected} (trailing newlines aside):
     * a check that stops a {@link Batch} on the host instead of a round trip back to decide. Fails with the probe's
     * status when the probe fails.
     */
    public static Command outputEquals(Command probe, String expected) {
        String tail = "\" && printf '%s\\n' \"$v\" && test \"$v\" = " + Shell.quote(expected);
        return new Command("v=\"$(" + probe.line + ")" + tail, "v=\"$(" + probe.redacted + ")" + tail);
    }

    /** Succeeds when {@code probe} succeeds and prints nothing; otherwise prints what it printed and fails. */
    public static Command outputEmpty(Command probe) {
        String tail = ")\" && if [ -n \"$v\" ]; then printf '%s\\n' \"$v\"; false; fi";
        return new Command("v=\"$(" + probe.line + tail, "v=\"$(" + probe.redacted + tail);
    }

    /** The whole line as one word for a wrapper such as {@code su -c} or {@code sh -c}. */
    public String quoted() {
        return Shell.quote(line);
    }

    @Override
    public String toString() {
        return redacted;
    }
}
