package ai.vidgen.platform.net;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;

/**
 * HTTP to URLs that came from outside, non-blocking (Vert.x). For every URL, the first and each
 * redirect target: the caller's {@link UrlRule}, then one resolution through the
 * {@link DestinationGuard} with every address checked, then a connection to that checked address,
 * while the Host header, TLS SNI and the certificate check keep the URL's host name. Nothing
 * resolves the name a second time, so a DNS answer that changes after the check (rebinding) is
 * never connected to.
 *
 * <p>Each exchange has its own connection, closed when the response ends or is abandoned: a
 * cancelled {@code Uni} (a timeout upstream) closes it at once, so no request outlives its caller.
 */
public final class GuardedHttpClient implements AutoCloseable {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final DestinationGuard guard;
    private final HttpClient client;

    /**
     * @param options pool size, default timeouts, trust store; certificate and host-name checks are
     *                always on, and connections are never kept alive, whatever they say
     */
    public GuardedHttpClient(Vertx vertx, DestinationGuard guard, HttpClientOptions options) {
        this.guard = guard;
        this.client = vertx.getDelegate().createHttpClient(new HttpClientOptions(options)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setVerifyHost(true)
                .setTrustAll(false)
                .setKeepAlive(false));
    }

    /**
     * Sends {@code request} and completes with the response once its status and headers arrived.
     * Fails with {@link RefusedUrlException} before connecting to a URL it must not reach, or with
     * the caller rule's own exception.
     */
    public Uni<GuardedResponse> send(GuardedRequest request) {
        return hop(request, 0);
    }

    private Uni<GuardedResponse> hop(GuardedRequest request, int redirects) {
        boolean redirect = redirects > 0;
        return Uni.createFrom().deferred(() -> {
            request.rule().check(request.uri(), redirect);
            return guard.destination(request.uri(), redirect);
        }).chain(destination -> exchange(request, destination)).chain(response -> {
            String location = response.header("Location");
            if (!request.followsRedirects() || !REDIRECTS.contains(response.status())
                    || location == null || location.isBlank()) {
                return Uni.createFrom().item(response);
            }
            response.close();
            if (redirects >= request.maxRedirects()) {
                return Uni.createFrom().failure(new RefusedUrlException(RefusedUrlException.Reason.TOO_MANY_REDIRECTS,
                        "more than " + request.maxRedirects() + " redirects", true));
            }
            URI next;
            try {
                next = request.uri().resolve(location.trim());
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(new RefusedUrlException(RefusedUrlException.Reason.INVALID_URL,
                        "redirect to an invalid URL", true));
            }
            return hop(request.to(next), redirects + 1);
        });
    }

    private Uni<GuardedResponse> exchange(GuardedRequest request, Destination destination) {
        return Uni.createFrom().emitter(emitter -> {
            Exchange exchange = new Exchange(emitter);
            emitter.onTermination(exchange::abandon);
            client.request(options(request, destination)).onComplete(opened -> {
                if (opened.failed()) {
                    exchange.fail(opened.cause());
                    return;
                }
                HttpClientRequest sent = opened.result();
                if (!exchange.started(sent)) {
                    sent.reset();
                    return;
                }
                // Failures reach the caller through the answer's future or, later, the response.
                sent.exceptionHandler(ignored -> {
                });
                Future<HttpClientResponse> answer = request.body() == null ? sent.send() : sent.send(request.body());
                answer.onComplete(answered -> {
                    if (answered.failed()) {
                        exchange.fail(answered.cause());
                        return;
                    }
                    HttpClientResponse response = answered.result();
                    // Hold the body until its reader has set its handlers.
                    response.pause();
                    exchange.answer(new GuardedResponse(destination.uri(), sent, response));
                });
            });
        });
    }

    private static RequestOptions options(GuardedRequest request, Destination destination) {
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(destination.host())
                .setPort(destination.port())
                .setSsl(destination.tls())
                .setURI(destination.requestTarget())
                // The checked address: Vert.x connects here and resolves nothing.
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(destination.address(),
                        destination.port())))
                .setFollowRedirects(false);
        if (request.connectTimeout() != null) {
            options.setConnectTimeout(request.connectTimeout().toMillis());
        }
        if (request.idleTimeout() != null) {
            options.setIdleTimeout(request.idleTimeout().toMillis());
        }
        if (destination.host().contains(":")) {
            // An IPv6 literal: the authority needs its brackets back.
            options.putHeader("Host", "[" + destination.host() + "]:" + destination.port());
        }
        request.headers().forEach(options::putHeader);
        return options;
    }

    @Override
    public void close() {
        client.close();
    }

    /** One exchange's state: whoever settles it first (answer, failure or cancellation) wins. */
    private static final class Exchange {

        private final UniEmitter<? super GuardedResponse> emitter;
        private HttpClientRequest request;
        private boolean settled;

        Exchange(UniEmitter<? super GuardedResponse> emitter) {
            this.emitter = emitter;
        }

        /** False when the caller is gone already: the request must not be sent. */
        synchronized boolean started(HttpClientRequest request) {
            this.request = request;
            return !settled;
        }

        void answer(GuardedResponse response) {
            synchronized (this) {
                if (settled) {
                    response.close();
                    return;
                }
                settled = true;
            }
            emitter.complete(response);
        }

        void fail(Throwable error) {
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
            }
            emitter.fail(error);
        }

        /** On termination: after an answer or a failure nothing is left; after a cancellation, the connection. */
        void abandon() {
            HttpClientRequest pending;
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
                pending = request;
            }
            if (pending != null) {
                pending.reset();
            }
        }
    }
}
