// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Action.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public interface Action extends ModelObject {
    String getIconFileName();

    String getUrlName();
}
