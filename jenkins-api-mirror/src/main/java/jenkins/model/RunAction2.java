// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type jenkins.model.RunAction2.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
