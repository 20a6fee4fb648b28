// Mirrors org.jenkins-ci.plugins:plain-credentials 199.v9f8e1f741799 (bom-2.541.x 6916.v15ec97679743), type
// org.jenkinsci.plugins.plaincredentials.StringCredentials.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
