package io.github.flowupgrade.release;

import io.github.flowupgrade.audit.AuditLog;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The release list read in the background while the host is asked which release it runs: the lookup then finds the
 * pages it needs in this client ({@link ReleaseLookup#run(ReleaseLookupRequest, ReleasePrefetch)}) instead of waiting
 * for GitHub after the host has answered. The listing stops at the page that names the target; whatever the host's
 * version needs beyond it, the lookup reads itself.
 *
 * <p>It changes no outcome: a listing that failed fails the lookup with the same error the lookup's own first request
 * would have met, and the requests it made are recorded in the audit trail as any lookup's are.
 */
public final class ReleasePrefetch implements AutoCloseable {
    private final GitHubClient github;
    private final CompletableFuture<Void> listing;

    private ReleasePrefetch(GitHubClient github, CompletableFuture<Void> listing) {
        this.github = github;
        this.listing = listing;
    }

    /** Starts reading the release list of {@code request}'s repository up to its target, on a thread of its own. */
    public static ReleasePrefetch start(ReleaseLookupRequest request, AuditLog audit) {
        GitHubClient github = ReleaseLookup.client(request, audit);
        CompletableFuture<Void> listing = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        github.listReleases(all -> request.latest() || ReleaseLookup.has(all, request.tag()));
                        listing.complete(null);
                    } catch (RuntimeException e) {
                        listing.completeExceptionally(e);
                    }
                },
                "flow-release-list");
        thread.setDaemon(true);
        thread.start();
        return new ReleasePrefetch(github, listing);
    }

    /** The client with the pages read so far, once the listing ended; its failure as the lookup's own. */
    GitHubClient client() {
        try {
            listing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
        return github;
    }

    /** Stops a listing still under way (the run ended before its lookup) and the client's HTTP thread. */
    @Override
    public void close() {
        github.close();
    }
}
