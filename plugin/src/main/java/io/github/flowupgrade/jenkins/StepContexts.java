package io.github.flowupgrade.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;

/** What every flow step needs from the Pipeline: it runs inside {@code node}, on that node's agent. */
final class StepContexts {
    /** The workspace (audit trail, caches), the agent's launcher, the build log, the build and its environment. */
    static final Set<? extends Class<?>> AGENT_WORK =
            Set.of(FilePath.class, Launcher.class, TaskListener.class, Run.class, EnvVars.class);

    private StepContexts() {}
}
