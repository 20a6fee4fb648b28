package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flow fetch-release}. */
@Command(
        name = "fetch-release",
        mixinStandardHelpOptions = true,
        description =
                "Looks up a release on GitHub and turns the notes of every release in the range into one upgrade plan.")
final class FetchReleaseCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw FlowException.badInput("'flow fetch-release' is not built yet");
    }
}
