// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.FilePath.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson;

import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

public final class FilePath implements SerializableOnlyOverRemoting {
    private FilePath() {}

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }

    public String getRemote() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
