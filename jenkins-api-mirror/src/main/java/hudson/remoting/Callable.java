// Mirrors org.jenkins-ci.main:remoting 3352.v17a_fb_4b_2773f (the version jenkins-core 2.541.3 uses), type
// hudson.remoting.Callable.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.remoting;

import java.io.Serializable;

public interface Callable<V, T extends Throwable> extends Serializable {
    V call() throws T;
}
