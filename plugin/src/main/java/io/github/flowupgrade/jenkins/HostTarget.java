package io.github.flowupgrade.jenkins;

import hudson.model.TaskListener;

/**
 * Where a host step's task runs and for whom: the build log, the host as the step names it, the SSH login resolved from
 * its credentials, the build, and the workspace's {@code flow-upgrade/} directory on the agent.
 */
record HostTarget(TaskListener listener, HostRequest host, SshLogin login, BuildInfo build, String flowDir) {}
