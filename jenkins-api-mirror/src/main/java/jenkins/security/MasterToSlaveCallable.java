// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.security.MasterToSlaveCallable.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package jenkins.security;

import jenkins.agents.ControllerToAgentCallable;

public abstract class MasterToSlaveCallable<V, T extends Throwable> implements ControllerToAgentCallable<V, T> {
    private static final long serialVersionUID = 1L;
}
