// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.model.Item.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

public interface Item extends ModelObject, AccessControlled {
    Permission EXTENDED_READ = null;
}
