package com.cloudbees.plugins.credentials.domains;

import java.util.List;

/** Tests' access to the mirror's package-private seam in {@link URIRequirementBuilder}. */
public final class RequirementsSeam {
    private RequirementsSeam() {}

    /** The URI {@code requirements} were built from by {@code URIRequirementBuilder.fromUri}, or null for none. */
    public static String uriOf(List<DomainRequirement> requirements) {
        return URIRequirementBuilder.builtFrom.get(requirements);
    }
}
