// Mirrors org.jenkins-ci.main:remoting 3352.v17a_fb_4b_2773f (the version jenkins-core 2.541.3 uses), type
// org.jenkinsci.remoting.SerializableOnlyOverRemoting.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.remoting;

import java.io.Serializable;

public interface SerializableOnlyOverRemoting extends Serializable {}
