// Mirrors org.jenkins-ci.plugins:ssh-credentials 372.va_250881b_08cd (bom-2.541.x 6916.v15ec97679743; signatures
// checked against 361.vb_f6760818e8c), type com.cloudbees.jenkins.plugins.sshcredentials.SSHUser.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;

public interface SSHUser extends StandardUsernameCredentials {}
