// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.security.ACL.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson.security;

import org.springframework.security.core.Authentication;

public abstract class ACL {
    public static final Authentication SYSTEM2 = null;

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException("compile-only mirror of the Jenkins API");
    }
}
