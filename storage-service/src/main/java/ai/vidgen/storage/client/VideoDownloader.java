package ai.vidgen.storage.client;

import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.HostPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Fetches a video from fal's CDN into a local file. Blocking; call it off the event loop.
 *
 * <p>The body streams straight to disk with back-pressure (one buffer at a time), so memory stays
 * constant whatever the size, and it is hashed and counted on the way. Redirects are followed by
 * hand so that every hop passes the {@link HostPolicy}: the JDK's automatic redirects would
 * happily follow fal's CDN to any host.
 */
@ApplicationScoped
public class VideoDownloader {

    private static final Logger LOG = Logger.getLogger(VideoDownloader.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final long WATCHDOG_TICK_MILLIS = 200;

    private final StorageConfig.Download config;
    private final HostPolicy hostPolicy;
    private final ExecutorService executor;
    private final HttpClient client;

    public VideoDownloader(StorageConfig config) {
        this.config = config.download();
        List<String> hosts = new ArrayList<>(this.config.allowedHosts());
        this.config.extraAllowedHosts().ifPresent(hosts::addAll);
        this.hostPolicy = new HostPolicy(hosts, this.config.insecureHosts());
        AtomicInteger threads = new AtomicInteger();
        // The body subscriber writes to disk on these threads, so they are ours, not a shared pool.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "video-download-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(this.config.connectTimeout())
                .executor(executor)
                .build();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The downloaded file and what was measured on the way. */
    public record Download(Path file, long bytes, String sha256, URI finalUrl, String contentType) {
    }

    /**
     * Downloads {@code url} into {@code target} (created or truncated).
     *
     * @throws ArchiveFailure for every problem with the URL, the CDN or the transfer
     */
    public Download download(String url, Path target) {
        URI uri = hostPolicy.check(url, false);
        for (int hop = 0; ; hop++) {
            Exchange exchange = exchange(uri, target);
            int status = exchange.status;
            if (REDIRECTS.contains(status)) {
                if (hop >= config.maxRedirects()) {
                    throw new ArchiveFailure(FailureReason.TOO_MANY_REDIRECTS,
                            "more than " + config.maxRedirects() + " redirects");
                }
                String location = exchange.location;
                if (location == null || location.isBlank()) {
                    throw new ArchiveFailure(FailureReason.HTTP_STATUS, "redirect " + status + " without a Location");
                }
                URI next;
                try {
                    next = uri.resolve(location.trim());
                } catch (IllegalArgumentException e) {
                    throw new ArchiveFailure(FailureReason.REDIRECT_NOT_ALLOWED, "redirect to an invalid URL");
                }
                uri = hostPolicy.check(next, true);
                continue;
            }
            if (status != 200) {
                boolean transientStatus = status >= 500 || status == 408 || status == 429;
                throw new ArchiveFailure(FailureReason.HTTP_STATUS, "the CDN answered " + status + " for "
                        + describe(uri), transientStatus, null);
            }
            return new Download(target, exchange.sink.bytes(), exchange.sink.sha256(), uri, exchange.contentType);
        }
    }

    private static final class Exchange {
        volatile int status;
        volatile String location;
        volatile String contentType;
        volatile FileSink sink;
    }

    private Exchange exchange(URI uri, Path target) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .GET()
                .header("Accept", "video/mp4, */*;q=0.5")
                .header("User-Agent", "vidgen-storage-service")
                .build();
        Exchange exchange = new Exchange();
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        HttpResponse.BodyHandler<Void> handler = info -> {
            lastActivity.set(System.nanoTime());
            exchange.status = info.statusCode();
            exchange.location = info.headers().firstValue("Location").orElse(null);
            exchange.contentType = info.headers().firstValue("Content-Type").orElse(null);
            if (info.statusCode() != 200) {
                return BodySubscribers.discarding();
            }
            exchange.sink = new FileSink(target, contentLength(info), config.maxBytes(), lastActivity);
            return exchange.sink;
        };
        CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, handler);
        long started = System.nanoTime();
        long idleNanos = config.idleTimeout().toNanos();
        long totalNanos = config.timeout().toNanos();
        try {
            while (true) {
                try {
                    future.get(WATCHDOG_TICK_MILLIS, TimeUnit.MILLISECONDS);
                    return exchange;
                } catch (TimeoutException tick) {
                    long now = System.nanoTime();
                    if (now - lastActivity.get() > idleNanos || now - started > totalNanos) {
                        abort(future, exchange);
                        throw new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT, now - started > totalNanos
                                ? "the download took longer than " + config.timeout()
                                : "no data for " + config.idleTimeout() + " from " + describe(uri));
                    }
                }
            }
        } catch (InterruptedException e) {
            abort(future, exchange);
            Thread.currentThread().interrupt();
            throw new ArchiveFailure(FailureReason.DOWNLOAD_FAILED, "interrupted", true, e);
        } catch (ExecutionException e) {
            throw classify(e.getCause(), exchange, uri);
        }
    }

    private static void abort(CompletableFuture<?> future, Exchange exchange) {
        if (exchange.sink != null) {
            exchange.sink.abort();
        }
        future.cancel(true);
    }

    private RuntimeException classify(Throwable error, Exchange exchange, URI uri) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ArchiveFailure failure) {
            return failure;
        }
        if (cause instanceof UncheckedIOException local) {
            // Our own disk, not the CDN: an infrastructure failure, retried until it passes.
            return local;
        }
        FileSink sink = exchange.sink;
        if (sink != null && sink.expectedLength().isPresent() && sink.bytes() < sink.expectedLength().getAsLong()) {
            return new ArchiveFailure(FailureReason.TRUNCATED, "the CDN closed the transfer after " + sink.bytes()
                    + " of " + sink.expectedLength().getAsLong() + " bytes", true, cause);
        }
        if (cause instanceof java.net.http.HttpConnectTimeoutException) {
            return new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT, "cannot connect to " + describe(uri)
                    + " within " + config.connectTimeout(), true, cause);
        }
        LOG.debugf(cause, "download from %s failed", describe(uri));
        return new ArchiveFailure(FailureReason.DOWNLOAD_FAILED, "download from " + describe(uri) + " failed: "
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                true, cause);
    }

    /** Host and path only: query strings of CDN URLs may carry access tokens and are never logged. */
    static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static OptionalLong contentLength(ResponseInfo info) {
        return info.headers().firstValueAsLong("Content-Length");
    }

    /**
     * Writes the body to a file as it arrives, hashing and counting it. It requests one buffer list
     * at a time, so at most one list is ever held in memory.
     */
    static final class FileSink implements BodySubscriber<Void> {

        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private final OptionalLong expectedLength;
        private final long maxBytes;
        private final AtomicLong lastActivity;
        private final MessageDigest digest;
        private final FileChannel channel;
        private volatile Flow.Subscription subscription;
        private volatile long bytes;
        private String sha256;

        FileSink(Path target, OptionalLong expectedLength, long maxBytes, AtomicLong lastActivity) {
            this.expectedLength = expectedLength;
            this.maxBytes = maxBytes;
            this.lastActivity = lastActivity;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            FileChannel opened = null;
            try {
                opened = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException("cannot create " + target, e));
            }
            this.channel = opened;
            if (expectedLength.isPresent() && expectedLength.getAsLong() > maxBytes) {
                fail(new ArchiveFailure(FailureReason.TOO_LARGE, "the CDN announces " + expectedLength.getAsLong()
                        + " bytes, more than the limit of " + maxBytes));
            }
        }

        OptionalLong expectedLength() {
            return expectedLength;
        }

        long bytes() {
            return bytes;
        }

        String sha256() {
            return sha256;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            lastActivity.set(System.nanoTime());
            try {
                for (ByteBuffer buffer : buffers) {
                    long next = bytes + buffer.remaining();
                    if (next > maxBytes) {
                        fail(new ArchiveFailure(FailureReason.TOO_LARGE, "the video exceeds the limit of "
                                + maxBytes + " bytes"));
                        return;
                    }
                    digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    bytes = next;
                }
                subscription.request(1);
            } catch (IOException e) {
                // Our disk failed, not the CDN: this is an infrastructure failure, retried as such.
                fail(new UncheckedIOException("cannot write the download", e));
            }
        }

        @Override
        public void onError(Throwable error) {
            closeQuietly();
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (result.isDone()) {
                return;
            }
            try {
                channel.force(false);
                channel.close();
            } catch (IOException e) {
                result.completeExceptionally(new UncheckedIOException("cannot write the download", e));
                return;
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
            if (expectedLength.isPresent() && bytes != expectedLength.getAsLong()) {
                result.completeExceptionally(new ArchiveFailure(FailureReason.TRUNCATED, "received " + bytes
                        + " bytes, the CDN announced " + expectedLength.getAsLong()));
                return;
            }
            result.complete(null);
        }

        void abort() {
            fail(new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT, "aborted"));
        }

        private void fail(Throwable error) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            closeQuietly();
            result.completeExceptionally(error);
        }

        private void closeQuietly() {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // The file is deleted by the caller anyway.
            }
        }
    }
}
