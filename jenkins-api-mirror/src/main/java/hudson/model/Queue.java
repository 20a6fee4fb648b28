// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Queue.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

public class Queue {
    private Queue() {}

    public interface Task extends ModelObject {}

    public interface Executable extends Runnable {}
}
