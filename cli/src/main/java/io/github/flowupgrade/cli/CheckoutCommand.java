package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flow checkout}. */
@Command(
        name = "checkout",
        mixinStandardHelpOptions = true,
        description = "Checks out a release tag on hosts over SSH, verified, locked, never discarding local changes.")
final class CheckoutCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw FlowException.badInput("'flow checkout' is not built yet");
    }
}
