// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.AbstractDescribableImpl.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {}
