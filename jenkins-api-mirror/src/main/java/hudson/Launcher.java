// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.Launcher.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson;

import hudson.remoting.VirtualChannel;

public abstract class Launcher {
    private Launcher() {}

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
