package io.github.flowupgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flowupgrade.FlowVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        assertThat(r.out()).contains("fetch-release", "checkout", "restart", "upgrade", "audit");
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
}
