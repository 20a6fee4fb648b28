package io.github.flowupgrade.jenkins;

import java.io.IOException;
import jenkins.security.MasterToSlaveCallable;

/**
 * Sent to the agent when the build is aborted while a flow task runs there: interrupts that task's thread (see
 * {@link AgentAborts}). Holds only the task's id.
 */
final class AbortAgentTask extends MasterToSlaveCallable<Boolean, IOException> {
    private static final long serialVersionUID = 1L;

    private final String taskId;

    AbortAgentTask(String taskId) {
        this.taskId = taskId;
    }

    /** Whether the task was running on the agent when the abort arrived. */
    @Override
    public Boolean call() {
        return AgentAborts.abort(taskId);
    }
}
