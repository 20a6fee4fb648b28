package io.github.flowupgrade.commands;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Several commands sent to a host as one script, so a step's checks cost one round trip instead of one each. Every
 * command still runs on its own (its own process, time limit, exit status and output): after each one the script
 * prints a marker line with a random nonce, its index, its exit status and the host's uptime on standard output, and
 * a marker on standard error, so the output splits back into one result per command. A {@linkplain #require
 * required} command that fails ends the script: what depends on it never runs.
 */
public final class Batch {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param command the command as the script runs it (already wrapped in its time limit and user)
     * @param user who it runs as, for the audit trail
     * @param required whether a failure stops the commands after it
     */
    public record Step(Command command, String user, boolean required) {}

    private final List<Step> steps = new ArrayList<>();
    private final String nonce;

    public Batch() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        this.nonce = "FLOW-BATCH-" + HexFormat.of().formatHex(bytes);
    }

    /** Adds a command whose failure the caller judges from its result; the script goes on either way. */
    public Batch run(Command command, String user) {
        steps.add(new Step(command, user, false));
        return this;
    }

    /** {@link #run(Command, String)} for the user the runner that sends the batch assigns. */
    public Batch run(Command command) {
        return run(command, null);
    }

    /** {@link #require(Command, String)} for the user the runner that sends the batch assigns. */
    public Batch require(Command command) {
        return require(command, null);
    }

    /** Adds a command that must succeed for the script to go on. */
    public Batch require(Command command, String user) {
        steps.add(new Step(command, user, true));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public int size() {
        return steps.size();
    }

    /** The random word that starts every marker line; output cannot guess it. */
    public String nonce() {
        return nonce;
    }

    /**
     * The script: a start marker, then each command followed by its markers. Reading {@code /proc/uptime} with the
     * shell's {@code read} builtin times each command on the host without starting a process.
     */
    public Command script() {
        if (steps.isEmpty()) {
            throw new IllegalStateException("empty batch");
        }
        String clock = "t=; read t _ </proc/uptime 2>/dev/null";
        StringBuilder line = new StringBuilder();
        StringBuilder redacted = new StringBuilder();
        String start = clock + "; printf '%s start %s\\n' " + nonce + " \"$t\"\n";
        line.append(start);
        redacted.append(start);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String after = "\ns=$?; " + clock + "; printf '\\n%s " + i + " %s %s\\n' " + nonce + " \"$s\" \"$t\"; "
                    + "printf '\\n%s " + i + "\\n' " + nonce + " >&2"
                    + (step.required() ? "; [ \"$s\" -eq 0 ] || exit \"$s\"" : "") + "\n";
            line.append(step.command().line()).append(after);
            redacted.append(step.command().redacted()).append(after);
        }
        line.append("exit 0");
        redacted.append("exit 0");
        return new Command(line.toString(), redacted.toString());
    }
}
