// Mirrors org.jenkins-ci.main:jenkins-core 2.541.3, type hudson.EnvVars.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package hudson;

import java.util.TreeMap;

public class EnvVars extends TreeMap<String, String> {}
