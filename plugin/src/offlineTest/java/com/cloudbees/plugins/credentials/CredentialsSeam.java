package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Tests' access to the mirror's package-private seam in {@link CredentialsProvider}: a credentials store that answers
 * {@code findCredentialById}, and a record of what {@code track} was given.
 */
public final class CredentialsSeam implements AutoCloseable {
    private final List<Credentials> tracked = new CopyOnWriteArrayList<>();

    private CredentialsSeam(BiFunction<String, List<DomainRequirement>, Credentials> store) {
        CredentialsProvider.lookupSeam = store;
        CredentialsProvider.trackSeam = tracked::add;
    }

    /** Answers lookups from {@code store} (id and domain requirements to a credential, or null) until closed. */
    public static CredentialsSeam answering(BiFunction<String, List<DomainRequirement>, Credentials> store) {
        return new CredentialsSeam(store);
    }

    public List<Credentials> tracked() {
        return List.copyOf(tracked);
    }

    @Override
    public void close() {
        CredentialsProvider.lookupSeam = null;
        CredentialsProvider.trackSeam = null;
    }
}
