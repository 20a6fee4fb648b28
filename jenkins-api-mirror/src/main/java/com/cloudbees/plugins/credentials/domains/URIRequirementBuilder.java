// Mirrors org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0 (bom-2.541.x 6916.v15ec97679743; signatures checked
// against 1502.v5c95e620ddfe), type com.cloudbees.plugins.credentials.domains.URIRequirementBuilder.
// Compile-only stand-in: same package, name and signatures as the real type; no behaviour (see README.md).
package com.cloudbees.plugins.credentials.domains;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

public class URIRequirementBuilder {
    // Test seam (package-private, so the plugin cannot reach it; tests read it from this package): each list that
    // build() returns, mapped to the URI it was built from. The real builder turns the URI into scheme, host (and
    // port) and path requirements; the mirror keeps the URI itself so a test can tell which one the plugin passed.
    static final Map<List<DomainRequirement>, String> builtFrom = Collections.synchronizedMap(new IdentityHashMap<>());

    private final String uri;

    private URIRequirementBuilder(String uri) {
        this.uri = uri;
    }

    public static URIRequirementBuilder fromUri(String uri) {
        return new URIRequirementBuilder(uri);
    }

    public List<DomainRequirement> build() {
        List<DomainRequirement> requirements = new ArrayList<>();
        builtFrom.put(requirements, uri);
        return requirements;
    }
}
