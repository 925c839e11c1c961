package ai.vidgen.request.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * Opens many server-sent event streams at once without a thread each: one HTTP/1.1 connection per
 * stream (as browsers and proxies hold them), lines collected as they arrive, and each stream
 * closable on its own, as a client that goes away.
 */
public final class SseClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(20)).build();
    private final String base;

    /** @param base the service's root URL, ending with {@code /} */
    public SseClient(String base) {
        this.base = base;
    }

    /** Opens {@code GET /v1/generations/{id}/events} as the tenant; {@link Stream#opened()} tells its status. */
    public Stream open(String tenant, String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/generations/" + id + "/events"))
                .header("X-Tenant-Id", tenant).header("Accept", "text/event-stream").GET().build();
        Stream stream = new Stream();
        stream.response = http.sendAsync(request, info -> {
            // Called once the status and headers are in, long before an open stream's body ends.
            stream.opened.complete(info);
            return HttpResponse.BodySubscribers.fromLineSubscriber(stream.lines);
        });
        stream.response.whenComplete((r, failure) -> {
            if (failure != null) {
                stream.opened.completeExceptionally(failure);
            }
        });
        return stream;
    }

    /** One stream: its status and headers, the lines received so far, and whether the server ended it. */
    public static final class Stream {
        private final Lines lines = new Lines();
        private final CompletableFuture<HttpResponse.ResponseInfo> opened = new CompletableFuture<>();
        private CompletableFuture<HttpResponse<Void>> response;

        /** The status and headers, as soon as they arrive. */
        public CompletableFuture<HttpResponse.ResponseInfo> opened() {
            return opened;
        }

        /** Every line received so far, comments and blank separators included. */
        public List<String> lines() {
            return List.copyOf(lines.received);
        }

        /** The {@code data:} lines so far (one per event here: each event's data is one JSON line). */
        public List<String> data() {
            return lines.received.stream().filter(l -> l.startsWith("data:")).toList();
        }

        /** True once the server ended the stream (or the connection broke). */
        public boolean ended() {
            return lines.ended;
        }

        /** Goes away as a client does: the connection is closed without reading further. */
        public void close() {
            Flow.Subscription s = lines.subscription;
            if (s != null) {
                s.cancel();
            }
            response.cancel(true);
        }
    }

    private static final class Lines implements Flow.Subscriber<String> {
        final List<String> received = new CopyOnWriteArrayList<>();
        volatile Flow.Subscription subscription;
        volatile boolean ended;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            received.add(line);
        }

        @Override
        public void onError(Throwable failure) {
            ended = true;
        }

        @Override
        public void onComplete() {
            ended = true;
        }
    }
}
