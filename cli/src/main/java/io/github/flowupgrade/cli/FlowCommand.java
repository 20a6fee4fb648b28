package io.github.flowupgrade.cli;

import io.github.flowupgrade.ExitCode;
import io.github.flowupgrade.FlowException;
import io.github.flowupgrade.FlowVersion;
import io.github.flowupgrade.Option;
import io.github.flowupgrade.audit.Redactor;
import io.github.flowupgrade.release.GitHubClient;
import io.github.flowupgrade.remote.SshTransport;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        // The subcommands are SUBCOMMANDS, added by commandLine(): a run builds only the one it runs.
        footerHeading = "%nExit codes:%n",
        footer = "")
public final class FlowCommand implements Runnable {
    /**
     * The subcommands by their {@code @Command} names (spelled here, not read from the annotations, which would cost
     * what building them costs), in the order the usage help lists them. Picocli reads each one's options by
     * reflection, a good part of a run's start: a command line that names one gets only that one ({@link
     * #commandLine(FlowCommand, String[])}).
     */
    static final Map<String, Class<?>> SUBCOMMANDS;

    static {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        byName.put("fetch-release", FetchReleaseCommand.class);
        byName.put("checkout", CheckoutCommand.class);
        byName.put("restart", RestartCommand.class);
        byName.put("upgrade", UpgradeCommand.class);
        byName.put("restore", RestoreCommand.class);
        byName.put("audit", AuditCommand.class);
        byName.put("help", CommandLine.HelpCommand.class);
        SUBCOMMANDS = Collections.unmodifiableMap(byName);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The run's secrets: the options that read one (the key and its passphrase, the token) register it here, and
     * everything printed passes through it (see {@link ScreenWriter}), whichever subcommand prints it.
     */
    private final Redactor redactor = Redactor.create();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The subcommands that connect to hosts: their SSH configuration is built while the rest of the run starts. */
    private static final Set<String> CONNECTING = Set.of("checkout", "restart", "upgrade", "restore");

    public static void main(String[] args) {
        if (args.length > 0 && CONNECTING.contains(args[0])) {
            SshTransport.prepare();
        }
        // SIGINT or SIGTERM: stop the remote commands; the run then fails as it would on any error (releasing the host
        // lock, closing the audit trail) and the JVM exits once it is done (130 for SIGINT). No Thread.interrupt():
        // it would close the audit trail's file channel.
        Thread run = Thread.currentThread();
        Thread stop = new Thread(
                () -> {
                    System.err.println("flow: interrupted: stopping the run and releasing the host lock");
                    SshTransport.stopRunningCommands();
                    GitHubClient.stopRequests();
                    try {
                        run.join(STOP_GRACE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "flow-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            return; // a signal came: the JVM exits once this returns
        }
        System.exit(code);
    }

    /** How long a signalled run may take to release its lock and close its trail. */
    private static final long STOP_GRACE_MILLIS = 30_000;

    /** Runs the command line and returns the exit code; the tests call this in-process. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        FlowCommand flow = new FlowCommand();
        return execute(flow, commandLine(flow, args), args, out, err);
    }

    /** Runs {@code args} on {@code cli}, the command line of {@code flow}. */
    static int execute(FlowCommand flow, CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
        PrintWriter screenOut = new PrintWriter(new ScreenWriter(out, flow.redactor), true);
        PrintWriter screenErr = new PrintWriter(new ScreenWriter(err, flow.redactor), true);
        cli.setOut(screenOut);
        cli.setErr(screenErr);
        try {
            return cli.execute(args);
        } finally {
            screenOut.flush();
            screenErr.flush();
        }
    }

    /**
     * The redactor of the run {@code spec} (a subcommand's or a mixin's) belongs to; a new one when it was not started
     * by {@link #execute} (a unit test building an options object alone).
     */
    static Redactor redactorOf(CommandLine.Model.CommandSpec spec) {
        if (spec != null && spec.root().userObject() instanceof FlowCommand flow) {
            return flow.redactor;
        }
        return Redactor.create();
    }

    /** The whole command line: every subcommand. */
    static CommandLine commandLine(FlowCommand flow) {
        return commandLine(flow, SUBCOMMANDS.values());
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand, only that one, which parses and
     * prints exactly as in the whole command line (options come after the subcommand's name, and its usage help and
     * errors name only itself); otherwise ({@code --help}, {@code help ...}, no or an unknown subcommand) all of them.
     */
    static CommandLine commandLine(FlowCommand flow, String[] args) {
        Class<?> named = args.length > 0 && !args[0].equals("help") ? SUBCOMMANDS.get(args[0]) : null;
        return named != null ? commandLine(flow, List.of(named)) : commandLine(flow);
    }

    private static CommandLine commandLine(FlowCommand flow, Collection<Class<?>> subcommands) {
        // The engine's messages name its settings as this front end's options.
        Option.use(CliOptionNames.INSTANCE);
        CommandLine cli = new CommandLine(flow);
        // Before the settings below: picocli hands each setting to the subcommands present when it is made.
        for (Class<?> subcommand : subcommands) {
            cli.addSubcommand(subcommand);
        }
        // ScreenWriter shows escape sequences as text, so the usage help is printed without colours.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        // The exit codes close the usage help; formatted only when it is printed.
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            String codes = Arrays.stream(ExitCode.values())
                    .map(c -> String.format("  %d  %s", c.code(), c.meaning()))
                    .collect(Collectors.joining("%n"));
            help.commandSpec().usageMessage().footer(codes.replace("%", "%%").replace("%%n", "%n"));
            return help.footer();
        });
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

    /** How a failure is shown: its message, or for anything else than a {@link FlowException}, an internal error. */
    static String messageOf(Throwable ex) {
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
