package io.github.flowupgrade.jenkins;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import java.io.IOException;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What a step execution takes from its context on the controller, fetched afresh for every run (never kept across a
 * restart): the build, its log, the agent's channel, the build's identity, the workspace's {@code flow-upgrade/}
 * directory on the agent, and the {@link StepRun} that an abort stops.
 */
record StepEnvironment(
        Run<?, ?> run, TaskListener listener, Launcher launcher, BuildInfo build, String flowDir, StepRun stepRun) {
    static StepEnvironment of(StepContext context, StepRun stepRun) throws IOException, InterruptedException {
        Run<?, ?> run = context.get(Run.class);
        return new StepEnvironment(
                run,
                context.get(TaskListener.class),
                context.get(Launcher.class),
                BuildInfo.of(run, context.get(EnvVars.class)),
                Workspaces.flowDir(context.get(FilePath.class)),
                stepRun);
    }

    /** Runs the task on the agent and returns its result map; an abort meanwhile waits for the task's cleanup. */
    Map<String, Object> call(AgentTask task) throws IOException, InterruptedException {
        VirtualChannel channel = launcher.getChannel();
        if (channel == null) {
            throw new AbortException(
                    "the agent of this node is offline; run the step inside node { } on an online agent");
        }
        return stepRun.callAgent(AgentLink.of(channel), task);
    }
}
