// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.agents.ControllerToAgentCallable.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package jenkins.agents;

import hudson.remoting.Callable;

public interface ControllerToAgentCallable<V, T extends Throwable> extends Callable<V, T> {}
