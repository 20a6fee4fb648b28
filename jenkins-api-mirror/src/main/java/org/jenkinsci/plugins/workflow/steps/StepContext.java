// Mirrors org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_ (bom-2.541.x 6916.v15ec97679743;
// signatures checked against 710.v3e456cc85233), type org.jenkinsci.plugins.workflow.steps.StepContext.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.IOException;
import java.io.Serializable;

public abstract class StepContext implements FutureCallback<Object>, Serializable {
    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    public abstract void onSuccess(Object result);
}
