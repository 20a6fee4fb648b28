// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.queue.Tasks.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model.queue;

import hudson.model.Queue.Task;
import org.springframework.security.core.Authentication;

public class Tasks {
    public static Authentication getAuthenticationOf2(Task t) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
