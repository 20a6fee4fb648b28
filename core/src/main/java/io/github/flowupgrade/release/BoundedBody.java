package io.github.flowupgrade.release;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory, never more than a limit: a body that declares more is refused before a byte is
 * read, one that grows past it is cut off there; either way the connection is dropped. One buffer at a time is asked
 * for, so an endless body costs at most the limit. {@link #abort} cuts a body off from outside (a deadline), which the
 * client's per-request timeout does not: that one covers the wait for the headers only.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body is larger than the limit. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;
    private Flow.Subscription subscription;
    private boolean ended;

    BoundedBody(long limit) {
        this.limit = limit;
    }

    /** The body handler: refuses at once a {@code Content-Length} above the limit. */
    HttpResponse.BodySubscriber<byte[]> forResponse(HttpResponse.ResponseInfo info) {
        OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
        if (declared.isPresent() && declared.getAsLong() > limit) {
            abort(new TooLarge("it announced " + declared.getAsLong() + " bytes"));
        }
        return this;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription newSubscription) {
        if (subscription != null || ended) {
            newSubscription.cancel();
            return;
        }
        subscription = newSubscription;
        subscription.request(1);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (ended) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            size += buffer.remaining();
            if (size > limit) {
                abort(new TooLarge("it went on past " + limit + " bytes"));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            chunks.add(chunk);
        }
        subscription.request(1);
    }

    @Override
    public synchronized void onError(Throwable error) {
        ended = true;
        chunks.clear();
        result.completeExceptionally(error);
    }

    @Override
    public synchronized void onComplete() {
        if (ended) {
            return;
        }
        ended = true;
        byte[] body = new byte[(int) size];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        chunks.clear();
        result.complete(body);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Stops reading (the connection is closed) and fails the body with {@code reason}. */
    synchronized void abort(IOException reason) {
        if (ended) {
            return;
        }
        ended = true;
        chunks.clear();
        if (subscription != null) {
            subscription.cancel();
        }
        result.completeExceptionally(reason);
    }
}
