package io.github.flowupgrade.jenkins;

import hudson.EnvVars;
import hudson.model.Run;
import io.github.flowupgrade.audit.BuildUrl;
import java.io.Serializable;

/**
 * Who acts, for the audit trail: the build (its externalizable id such as {@code folder/job#42}) and its URL when
 * Jenkins knows its own address.
 */
record BuildInfo(String buildId, String buildUrl) implements Serializable {
    static BuildInfo of(Run<?, ?> run, EnvVars env) {
        return new BuildInfo(run.getExternalizableId(), BuildUrl.withoutCredentials(env.get("BUILD_URL")));
    }

    /** The actor recorded in the audit trail. */
    String actor() {
        return "jenkins " + buildId;
    }
}
