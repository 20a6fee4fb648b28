package io.github.flowupgrade.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flowupgrade.testing.LocalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached-task commands, run by a real {@code /bin/sh} on this machine (the host's side of a detached task): the
 * task outlives the shell that started it, its log can be followed from any byte, the follow ends with the task's own
 * exit status, and a stop ends the task and its children.
 */
class DetachedTaskCommandsTest {
    @TempDir
    Path state;

    private DetachedTaskCommands commands() {
        return new DetachedTaskCommands(state.toString());
    }

    private static LocalProcess.Result sh(Command command) {
        return LocalProcess.attempt(null, Map.of(), "/bin/sh", "-c", command.line());
    }

    @Test
    void startThenFollowShowsTheWholeLogAndEndsWithTheTasksStatus() {
        Command task = new Command("echo one; echo two >&2; exit 3", "echo one; echo two >&2; exit 3");
        LocalProcess.Result result = sh(commands().startAndFollow("t1", task, Duration.ofSeconds(30)));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("one\ntwo\n" + DetachedTaskCommands.EXIT_LINE + "3\n");
        assertThat(state.resolve("tasks/t1/status")).hasContent("3");
    }

    @Test
    void theTaskOutlivesTheShellThatStartedItAndAFollowFromAnOffsetShowsOnlyTheRest() throws Exception {
        Command task = new Command("echo first; sleep 1; echo second", "echo first; sleep 1; echo second");
        LocalProcess.Result started = sh(commands().start("t2", task, Duration.ofSeconds(30)));
        assertThat(started.exitCode()).isZero();
        assertThat(state.resolve("tasks/t2/status")).doesNotExist();
        // "first\n" is 6 bytes: a client that had shown it re-attaches from byte 6.
        LocalProcess.Result rest = sh(commands().follow("t2", 6));
        assertThat(rest.exitCode()).isZero();
        assertThat(rest.output()).isEqualTo("second\n" + DetachedTaskCommands.EXIT_LINE + "0\n");
        assertThat(Files.readString(state.resolve("tasks/t2/log"))).isEqualTo("first\nsecond\n");
    }

    @Test
    void followOfATaskThatWasNeverStartedSaysSo() {
        LocalProcess.Result result = sh(commands().follow("never", 0));
        assertThat(result.exitCode()).isEqualTo(DetachedTaskCommands.NO_STATUS);
        assertThat(result.output()).contains("no task never was started on this host");
    }

    @Test
    void theTaskRunsUnderItsTimeLimit() {
        Command task = new Command("sleep 30", "sleep 30");
        LocalProcess.Result result = sh(commands().startAndFollow("t3", task, Duration.ofSeconds(1)));
        assertThat(result.exitCode()).isEqualTo(TimeLimit.EXIT_TIMED_OUT);
    }

    @Test
    void stopEndsTheTaskAndItsChildren() throws Exception {
        Command task = new Command("sleep 60 & sleep 60; wait", "sleep 60 & sleep 60; wait");
        assertThat(sh(commands().start("t4", task, Duration.ofSeconds(120))).exitCode())
                .isZero();
        String pid = Files.readString(state.resolve("tasks/t4/pid")).strip();
        assertThat(sh(commands().stop("t4")).exitCode()).isZero();
        LocalProcess.Result followed = sh(commands().follow("t4", 0));
        assertThat(followed.output())
                .as("the task's shell recorded how it ended")
                .contains(DetachedTaskCommands.EXIT_LINE + "143");
        assertThat(LocalProcess.attempt(null, Map.of(), "pgrep", "-s", pid).exitCode())
                .as("nothing left in the task's session")
                .isEqualTo(1);
        assertThat(sh(commands().stop("t4")).exitCode())
                .as("stopping an ended task")
                .isZero();
    }

    @Test
    void aStopRightAfterTheStartStillEndsTheTask() {
        Command task = new Command("sleep 60", "sleep 60");
        // Sent together, the stop may find the task's shell before it started the command: nothing may run on.
        LocalProcess.Result result = sh(commands()
                .start("t5", task, Duration.ofSeconds(120))
                .and(commands().stop("t5")));
        assertThat(result.exitCode()).isZero();
        LocalProcess.Result followed = sh(commands().follow("t5", 0));
        assertThat(followed.exitCode()).isEqualTo(143);
        assertThat(followed.output()).contains(DetachedTaskCommands.EXIT_LINE + "143");
    }

    @Test
    void idsArePlainPathSegments() {
        assertThatThrownBy(() -> commands().follow("../x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands().taskDir("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(commands().logFile("20261207T021800Z-3fa9c1-db-migrate"))
                .isEqualTo(state + "/tasks/20261207T021800Z-3fa9c1-db-migrate/log");
    }
}
