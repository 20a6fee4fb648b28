package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.FlowVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowCommandTest {
    record Run(int code, String out, String err) {}

    static Run flow(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FlowCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheFiveSubcommandsAndTheExitCodes() {
        Run r = flow("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("fetch-release", "checkout", "restart", "upgrade", "restore", "audit");
        assertThat(r.out())
                .contains("Exit codes:")
                .containsPattern("(?m)^  0  done")
                .containsPattern("(?m)^  2  bad usage or input")
                .containsPattern("(?m)^  3  refused by a safety check")
                .containsPattern("(?m)^  4  a remote command failed")
                .containsPattern("(?m)^  5  connection or network failure");
    }

    @Test
    void theEngineNamesEverySettingAsAnOptionOfSomeSubcommand() {
        java.util.Set<String> options = new java.util.TreeSet<>();
        java.util.Deque<picocli.CommandLine> commands =
                new java.util.ArrayDeque<>(java.util.List.of(FlowCommand.commandLine(new FlowCommand())));
        while (!commands.isEmpty()) {
            picocli.CommandLine command = commands.pop();
            command.getCommandSpec().options().forEach(o -> options.addAll(java.util.List.of(o.names())));
            commands.addAll(command.getSubcommands().values());
        }
        for (io.github.flowupgrade.Option option : io.github.flowupgrade.Option.values()) {
            assertThat(options).as(option + " is spelled " + option.named()).contains(option.named());
            assertThat(option.set()).isEqualTo(option.named());
        }
        assertThat(io.github.flowupgrade.Option.FROM.withValue("v4.2.0")).isEqualTo("--from v4.2.0");
        assertThat(io.github.flowupgrade.Option.APPROVED_BY.withValue("Alice Admin"))
                .isEqualTo("--approved-by 'Alice Admin'");
    }

    @Test
    void everySubcommandThatTakesAnAppDefaultsToMastodonAndItsHelpSaysSo() {
        java.util.List<String> withApp = new java.util.ArrayList<>();
        java.util.Deque<picocli.CommandLine> commands =
                new java.util.ArrayDeque<>(java.util.List.of(FlowCommand.commandLine(new FlowCommand())));
        while (!commands.isEmpty()) {
            picocli.CommandLine command = commands.pop();
            picocli.CommandLine.Model.OptionSpec app = command.getCommandSpec().findOption("--app");
            if (app != null) {
                String name = command.getCommandName();
                withApp.add(name);
                assertThat(app.required()).as(name).isFalse();
                assertThat(app.defaultValue()).as(name).isEqualTo("mastodon");
                Run help = flow(name, "--help");
                assertThat(help.out().replaceAll("\\s+", " ")).as(name).contains("(default: mastodon)");
            }
            commands.addAll(command.getSubcommands().values());
        }
        assertThat(withApp).contains("fetch-release", "checkout", "restart", "upgrade");
    }

    @Test
    void versionComesFromTheBuild() {
        Run r = flow("--version");
        assertThat(r.code()).isZero();
        assertThat(FlowVersion.get()).isNotEqualTo("unknown").doesNotContain("${");
        assertThat(r.out().trim()).isEqualTo("flow " + FlowVersion.get());
    }

    @Test
    void unknownOptionIsBadUsage() {
        Run r = flow("--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option").contains("flow --help");
    }

    @Test
    void noSubcommandIsBadUsage() {
        Run r = flow();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("a subcommand is required");
    }

    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertThat(FlowCommand.commandLine(new FlowCommand(), new String[] {"upgrade", "--tag", "v4.3.1"})
                        .getSubcommands())
                .containsOnlyKeys("upgrade");
        assertThat(FlowCommand.commandLine(new FlowCommand(), new String[] {"audit", "verify", "trail.jsonl"})
                        .getSubcommands())
                .containsOnlyKeys("audit");
        List<String> all = List.of("fetch-release", "checkout", "restart", "upgrade", "restore", "audit", "help");
        for (String[] args : List.of(
                new String[] {}, new String[] {"--help"}, new String[] {"help", "upgrade"}, new String[] {"upgrades"
                })) {
            assertThat(FlowCommand.commandLine(new FlowCommand(), args)
                            .getSubcommands()
                            .keySet())
                    .as(String.join(" ", args))
                    .containsExactlyElementsOf(all);
        }
    }

    @Test
    void eachSubcommandIsListedUnderItsCommandName() {
        FlowCommand.SUBCOMMANDS.forEach((name, type) -> assertThat(
                        type.getAnnotation(picocli.CommandLine.Command.class).name())
                .isEqualTo(name));
        assertThat(FlowCommand.commandLine(new FlowCommand()).getSubcommands().keySet())
                .containsExactlyElementsOf(FlowCommand.SUBCOMMANDS.keySet());
    }

    @Test
    void aSubcommandAloneParsesAndPrintsAsInTheWholeCommandLine() {
        List<String[]> cases = new ArrayList<>();
        for (String sub : List.of("fetch-release", "checkout", "restart", "upgrade", "audit")) {
            cases.add(new String[] {sub, "--help"});
            cases.add(new String[] {sub, "--no-such-option"});
            cases.add(new String[] {sub});
            cases.add(new String[] {sub, "--tag"});
        }
        cases.add(new String[] {"audit", "verify", "--help"});
        cases.add(new String[] {"audit", "show"});
        cases.add(new String[] {"upgrade", "--tag", "v4.3.1", "--host", "h", "--streaming", "sometimes"});
        for (String[] args : cases) {
            FlowCommand flow = new FlowCommand();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = FlowCommand.execute(
                    flow, FlowCommand.commandLine(flow), args, new PrintWriter(out, true), new PrintWriter(err, true));
            Run alone = flow(args);
            assertThat(alone).as(String.join(" ", args)).isEqualTo(new Run(code, out.toString(), err.toString()));
            assertThat(alone.out() + alone.err()).as(String.join(" ", args)).isNotBlank();
        }
    }
}
