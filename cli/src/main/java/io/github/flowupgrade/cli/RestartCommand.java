package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flow restart}. */
@Command(
        name = "restart",
        mixinStandardHelpOptions = true,
        description = "Restarts sidekiq, reloads web, and restarts streaming only when needed and approved.")
final class RestartCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw FlowException.badInput("'flow restart' is not built yet");
    }
}
