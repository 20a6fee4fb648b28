// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.TaskListener.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();
}
