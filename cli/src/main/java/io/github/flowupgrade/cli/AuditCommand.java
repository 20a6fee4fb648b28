package io.github.flowupgrade.cli;

import io.github.flowupgrade.FlowException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code flow audit}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verifies or shows a hash-chained audit trail.")
final class AuditCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw FlowException.badInput("'flow audit' is not built yet");
    }
}
