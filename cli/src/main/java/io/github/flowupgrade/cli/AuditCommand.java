package io.github.flowupgrade.cli;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.audit.AuditTimeline;
import io.github.flowupgrade.audit.AuditVerification;
import io.github.flowupgrade.audit.AuditVerifier;
import io.github.flowupgrade.commands.Shell;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flow audit verify FILE} and {@code flow audit show FILE}. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Verifies or shows a hash-chained audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Show.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify or show");
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Checks every record of an audit trail: well-formed JSON, seq counting up from 1, each record's prev"
                        + " equal to the SHA-256 of the line before, runs opening with run.started and ending with"
                        + " run.finished; then its end against the head file beside it (FILE.head), so records"
                        + " cut off the end show.",
                "Exit 0 and a one-line summary when intact; exit 3 and the first broken record otherwise."
            })
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The audit trail (.jsonl) to check.")
        Path file;

        @Option(
                names = "--head",
                paramLabel = "SHA256",
                description = "The head printed at the end of a run (in the build log): the record with this SHA-256"
                        + " must be in the chain, so nothing up to it was cut, edited or rewritten, whatever ran"
                        + " after it (even if both files were rewritten).")
        String head;

        @Option(
                names = "--allow-unfinished",
                description = "Exit 0 for a trail whose last run has no run.finished yet (a run still going).")
        boolean allowUnfinished;

        @Override
        public Integer call() {
            if (head != null && !head.matches("[0-9a-f]{64}")) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--head must be 64 lower-case hex digits (a SHA-256)");
            }
            AuditVerification result = AuditVerifier.verify(file, head);
            PrintWriter out = spec.commandLine().getOut();
            out.println(AuditTimeline.printable(result.summaryLine()));
            if (result instanceof AuditVerification.Broken broken) {
                quoteLine(out, broken.line());
                return ExitCode.REFUSED.code();
            }
            if (result instanceof AuditVerification.Unfinished && !allowUnfinished) {
                return ExitCode.REFUSED.code();
            }
            return ExitCode.DONE.code();
        }

        /** Shows the broken line itself (shortened), so the reader sees which record it is. */
        private void quoteLine(PrintWriter out, long lineNumber) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lineNumber <= lines.size()) {
                    String line = lines.get((int) lineNumber - 1);
                    out.println("  line " + lineNumber + ": "
                            + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
                }
            } catch (IOException | RuntimeException e) {
                // Not valid UTF-8 or unreadable: the summary already says what is wrong.
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Prints an audit trail as a readable timeline, one line per record, then the verdict of"
                        + " 'flow audit verify'.",
                "Long values are folded: a list or object to its size (items=[19 items]), a long text to its first"
                        + " 200 characters and its length. --full N prints record N whole."
            })
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The audit trail (.jsonl) to show.")
        Path file;

        @Option(
                names = "--full",
                paramLabel = "N",
                description = "Print record N (its #N in the timeline) whole: every field, nothing folded.")
        Long full;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (full != null) {
                if (full < 1) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--full takes a record number (1 or more)");
                }
                AuditTimeline.record(file, full).forEach(out::println);
                return ExitCode.DONE.code();
            }
            AuditTimeline.Timeline timeline = AuditTimeline.timeline(file);
            timeline.lines().forEach(out::println);
            out.flush();
            if (timeline.folded()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("Long values are folded; to see a record whole: flow audit show "
                        + AuditTimeline.printable(Shell.quote(file.toString())) + " --full N");
                err.flush();
            }
            return ExitCode.DONE.code();
        }
    }
}
