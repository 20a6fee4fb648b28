// Mirrors org.jenkins-ci.main:remoting 3352.v17a_fb_4b_2773f (the version jenkins-core 2.541.3 uses), type
// hudson.remoting.VirtualChannel.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.remoting;

import java.io.IOException;

public interface VirtualChannel {
    <V, T extends Throwable> V call(Callable<V, T> callable) throws IOException, T, InterruptedException;
}
