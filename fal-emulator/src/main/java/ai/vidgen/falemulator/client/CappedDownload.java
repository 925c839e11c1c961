package ai.vidgen.falemulator.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body that is counted and, when a sink is given, written to a file, and that stops
 * (cancelling the transfer) once it exceeds a byte limit or is aborted. Completes with the byte
 * count. Runs on the HTTP client's threads, never on an event loop.
 */
final class CappedDownload implements HttpResponse.BodySubscriber<Long> {

    /** The body went past the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("larger than the " + limit + "-byte limit");
        }
    }

    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final long limit;
    private final FileChannel sink;
    private volatile Flow.Subscription subscription;
    private long received;

    /** @param sink where to write the body; null to count it only */
    CappedDownload(long limit, Path sink) throws IOException {
        this.limit = limit;
        this.sink = sink == null ? null : FileChannel.open(sink, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (result.isDone()) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        try {
            for (ByteBuffer buffer : buffers) {
                received += buffer.remaining();
                if (received > limit) {
                    fail(new TooLarge(limit));
                    return;
                }
                if (sink != null) {
                    while (buffer.hasRemaining()) {
                        sink.write(buffer);
                    }
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (!result.isDone()) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable failure) {
        close();
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        close();
        result.complete(received);
    }

    /** Stops the transfer, e.g. when the download's deadline has passed. */
    void abort(Throwable why) {
        fail(why);
    }

    private void fail(Throwable why) {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        close();
        result.completeExceptionally(why);
    }

    private void close() {
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException e) {
                // nothing was promised about the partial file; it is deleted by the fetcher
            }
        }
    }
}
