// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Descriptor.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {}

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
