package io.github.flowupgrade.cli;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.FlowVersion;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code flow}: upgrades a Mastodon (or Mastodon-derived) server to a new release over SSH. */
@Command(
        name = "flow",
        mixinStandardHelpOptions = true,
        versionProvider = FlowCommand.Version.class,
        description = "Upgrades a Mastodon (or Mastodon-derived) server to a new release over SSH, "
                + "as Mastodon's guide \"Upgrading to a new release\" describes it: automated, gated and audited.",
        subcommands = {
            FetchReleaseCommand.class,
            CheckoutCommand.class,
            RestartCommand.class,
            UpgradeCommand.class,
            AuditCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = "")
public final class FlowCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; the tests call this in-process. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new FlowCommand());
        String codes = Arrays.stream(ExitCode.values())
                .map(c -> String.format("  %d  %s", c.code(), c.meaning()))
                .collect(Collectors.joining("%n"));
        cli.getCommandSpec().usageMessage().footer(codes.replace("%", "%%").replace("%%n", "%n"));
        cli.setExitCodeExceptionMapper(FlowCommand::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("flow: " + messageOf(ex));
            return exitCodeOf(ex);
        });
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("flow: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.BAD_INPUT.code();
        });
        return cli;
    }

    static int exitCodeOf(Throwable ex) {
        if (ex instanceof FlowException fe) {
            return fe.exitCode().code();
        }
        if (ex instanceof CommandLine.ParameterException) {
            return ExitCode.BAD_INPUT.code();
        }
        return ExitCode.FAILED.code();
    }

    private static String messageOf(Throwable ex) {
        if (ex instanceof FlowException) {
            return ex.getMessage();
        }
        return "internal error: " + ex;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"flow " + FlowVersion.get()};
        }
    }
}
