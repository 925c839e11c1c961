package ai.vidgen.platform.net;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;
import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The answer of a {@link GuardedHttpClient}: status and headers have arrived, the body is
 * waiting (the stream is paused). The holder reads it ({@link #body(int)}, or {@link #stream()}
 * with its own handlers and a {@code resume()}) or abandons it with {@link #close()}; one of them
 * must happen, or the connection stays open until the idle timeout.
 *
 * <p>A paused Vert.x response keeps its data and its end for later, but not a failure (the
 * server closing the connection early): this class holds that one too until the holder has set
 * its handlers, so a transfer cut off before anyone listened still reports it.
 */
public final class GuardedResponse {

    private final URI uri;
    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private Throwable failure;
    private Handler<Throwable> failureHandler;

    GuardedResponse(URI uri, HttpClientRequest request, HttpClientResponse response) {
        this.uri = uri;
        this.request = request;
        this.response = response;
        response.exceptionHandler(this::failed);
    }

    /** The URL that answered, after any redirects. */
    public URI uri() {
        return uri;
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.getHeader(name);
    }

    public OptionalLong contentLength() {
        String value = response.getHeader("Content-Length");
        try {
            return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The paused body, for a holder that streams it (to a file, say) with back-pressure. */
    public ReadStream<Buffer> stream() {
        return new Body();
    }

    /**
     * At most {@code maxBytes} of the body. When the server has more to send, the connection is
     * closed once the limit is reached, so a large or endless body costs no more than that. A
     * cancelled read closes the connection as well.
     */
    public Uni<Buffer> body(int maxBytes) {
        return Uni.createFrom().emitter(emitter -> {
            Buffer received = Buffer.buffer(Math.min(maxBytes, 8192));
            AtomicBoolean settled = new AtomicBoolean();
            emitter.onTermination(() -> {
                if (settled.compareAndSet(false, true)) {
                    close();
                }
            });
            ReadStream<Buffer> body = stream();
            body.handler(chunk -> {
                if (settled.get()) {
                    return;
                }
                int room = maxBytes - received.length();
                if (chunk.length() < room) {
                    received.appendBuffer(chunk);
                    return;
                }
                received.appendBuffer(chunk, 0, room);
                if (settled.compareAndSet(false, true)) {
                    close();
                    emitter.complete(received);
                }
            });
            body.exceptionHandler(error -> {
                if (settled.compareAndSet(false, true)) {
                    emitter.fail(error);
                }
            });
            body.endHandler(end -> {
                if (settled.compareAndSet(false, true)) {
                    emitter.complete(received);
                }
            });
            body.resume();
        });
    }

    /**
     * Abandons the exchange: the connection is closed (a reset) unless the response has already
     * ended, in which case the client closes it anyway (one connection per exchange).
     */
    public void close() {
        synchronized (this) {
            // The reset comes back as a failure; nobody is listening for one any more.
            failureHandler = ignored -> {
            };
        }
        request.reset();
    }

    private void failed(Throwable error) {
        Handler<Throwable> handler;
        synchronized (this) {
            handler = failureHandler;
            if (handler == null) {
                failure = error;
                return;
            }
        }
        handler.handle(error);
    }

    private void onFailure(Handler<Throwable> handler) {
        Throwable early;
        synchronized (this) {
            failureHandler = handler;
            early = failure;
            failure = null;
        }
        if (early != null && handler != null) {
            handler.handle(early);
        }
    }

    /** The response as a stream whose failures include the one that came before anyone listened. */
    private final class Body implements ReadStream<Buffer> {

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            onFailure(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            response.handler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            response.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            response.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            response.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            response.endHandler(endHandler);
            return this;
        }
    }
}
