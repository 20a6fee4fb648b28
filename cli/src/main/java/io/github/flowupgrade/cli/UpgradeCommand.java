package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flow upgrade}. */
@Command(
        name = "upgrade",
        mixinStandardHelpOptions = true,
        description = "The whole upgrade: fetch-release, checkout, upgrade tasks, restarts, approval gate.")
final class UpgradeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw FlowException.badInput("'flow upgrade' is not built yet");
    }
}
