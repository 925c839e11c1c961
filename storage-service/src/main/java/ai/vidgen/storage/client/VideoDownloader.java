package ai.vidgen.storage.client;

import ai.vidgen.platform.net.Destination;
import ai.vidgen.platform.net.DestinationGuard;
import ai.vidgen.platform.net.GuardedHttpClient;
import ai.vidgen.platform.net.GuardedRequest;
import ai.vidgen.platform.net.GuardedResponse;
import ai.vidgen.platform.net.HostResolver;
import ai.vidgen.platform.net.RefusedUrlException;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.HostPolicy;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Fetches a video from fal's CDN into a local file. Blocking; call it off the event loop (the
 * transfer itself runs on Vert.x and this thread only waits for it).
 *
 * <p>Every URL, the first and each redirect target (followed by hand, at most
 * {@code max-redirects}), passes the {@link HostPolicy} (allowed names, https) and then the
 * platform's address check: the host is resolved once, every address must be public (allowed
 * hosts written as IP literals excepted), and the connection goes to that checked address, so a
 * CDN name re-pointed at a private address is never reached. The body streams straight to disk
 * with back-pressure ({@link DownloadSink}), hashed and counted on the way.
 */
@ApplicationScoped
public class VideoDownloader {

    private static final Logger LOG = Logger.getLogger(VideoDownloader.class);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Downloads at once to one CDN address; the archive consumer runs far fewer. */
    private static final int MAX_CONNECTIONS_PER_ADDRESS = 16;

    private final StorageConfig.Download config;
    private final HostPolicy hostPolicy;
    private final Vertx vertx;
    private final GuardedHttpClient http;

    public VideoDownloader(StorageConfig config, Vertx vertx, HostResolver resolver) {
        this.config = config.download();
        List<String> hosts = new ArrayList<>(this.config.allowedHosts());
        this.config.extraAllowedHosts().ifPresent(hosts::addAll);
        this.hostPolicy = new HostPolicy(hosts, this.config.insecureHosts());
        this.vertx = vertx;
        // A lookup counts against the connect timeout: both stand between us and the first byte.
        DestinationGuard guard = new DestinationGuard(resolver, hostPolicy.addressLiterals(),
                this.config.connectTimeout());
        this.http = new GuardedHttpClient(vertx, guard, new HttpClientOptions()
                .setMaxPoolSize(MAX_CONNECTIONS_PER_ADDRESS));
    }

    @PreDestroy
    void stop() {
        http.close();
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
        GuardedRequest request = GuardedRequest.get(uri)
                .header("Accept", "video/mp4, */*;q=0.5")
                .header("User-Agent", "vidgen-storage-service")
                .maxRedirects(config.maxRedirects())
                .rule(hostPolicy::check)
                .connectTimeout(config.connectTimeout())
                .idleTimeout(config.idleTimeout());
        CompletableFuture<Download> transfer = http.send(request)
                .chain(response -> save(response, target))
                // Cancels the transfer, which closes its connection and the file.
                .ifNoItem().after(config.timeout()).failWith(() -> new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT,
                        "the download took longer than " + config.timeout()))
                .subscribeAsCompletionStage();
        try {
            return transfer.get();
        } catch (InterruptedException e) {
            transfer.cancel(true);
            Thread.currentThread().interrupt();
            throw new ArchiveFailure(FailureReason.DOWNLOAD_FAILED, "interrupted", true, e);
        } catch (ExecutionException e) {
            throw classify(e.getCause(), uri);
        }
    }

    private Uni<Download> save(GuardedResponse response, Path target) {
        int status = response.status();
        if (status != 200) {
            response.close();
            return Uni.createFrom().failure(statusFailure(status, response));
        }
        OptionalLong length = response.contentLength();
        if (length.isPresent() && length.getAsLong() > config.maxBytes()) {
            response.close();
            return Uni.createFrom().failure(new ArchiveFailure(FailureReason.TOO_LARGE, "the CDN announces "
                    + length.getAsLong() + " bytes, more than the limit of " + config.maxBytes()));
        }
        OpenOptions options = new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true);
        return Uni.createFrom().completionStage(() -> vertx.getDelegate().fileSystem().open(target.toString(), options)
                        .toCompletionStage())
                .onFailure().invoke(response::close)
                .onFailure().transform(e -> new UncheckedIOException("cannot create " + target,
                        e instanceof IOException io ? io : new IOException(e)))
                .chain(file -> new DownloadSink(file, response.stream(), response::close, length, config.maxBytes())
                        .write())
                .map(written -> new Download(target, written.bytes(), written.sha256(), response.uri(),
                        response.header("Content-Type")));
    }

    private ArchiveFailure statusFailure(int status, GuardedResponse response) {
        if (REDIRECTS.contains(status)) {
            String location = response.header("Location");
            return location == null || location.isBlank()
                    ? new ArchiveFailure(FailureReason.HTTP_STATUS, "redirect " + status + " without a Location")
                    : new ArchiveFailure(FailureReason.TOO_MANY_REDIRECTS, "more than " + config.maxRedirects()
                            + " redirects");
        }
        boolean transientStatus = status >= 500 || status == 408 || status == 429;
        return new ArchiveFailure(FailureReason.HTTP_STATUS, "the CDN answered " + status + " for "
                + Destination.describe(response.uri()), transientStatus, null);
    }

    private RuntimeException classify(Throwable error, URI uri) {
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
        if (cause instanceof RefusedUrlException refused) {
            return refusal(refused);
        }
        if (cause instanceof ConnectTimeoutException) {
            return new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT, "cannot connect to " + Destination.describe(uri)
                    + " within " + config.connectTimeout(), true, cause);
        }
        if (cause instanceof TimeoutException) {
            return new ArchiveFailure(FailureReason.DOWNLOAD_TIMEOUT, "no data for " + config.idleTimeout() + " from "
                    + Destination.describe(uri), true, cause);
        }
        LOG.debugf(cause, "download from %s failed", Destination.describe(uri));
        return new ArchiveFailure(FailureReason.DOWNLOAD_FAILED, "download from " + Destination.describe(uri)
                + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), true, cause);
    }

    /** The platform's refusals in this service's terms; only a failed lookup may pass on a retry. */
    private static ArchiveFailure refusal(RefusedUrlException refused) {
        return switch (refused.reason()) {
            case NOT_PUBLIC -> new ArchiveFailure(refused.redirect() ? FailureReason.REDIRECT_NOT_ALLOWED
                    : FailureReason.HOST_NOT_ALLOWED, refused.getMessage() + "; only public addresses are downloaded from");
            case UNRESOLVED -> new ArchiveFailure(FailureReason.DOWNLOAD_FAILED, refused.getMessage(), true, refused);
            case TOO_MANY_REDIRECTS -> new ArchiveFailure(FailureReason.TOO_MANY_REDIRECTS, refused.getMessage());
            case INVALID_URL -> new ArchiveFailure(refused.redirect() ? FailureReason.REDIRECT_NOT_ALLOWED
                    : FailureReason.INVALID_URL, refused.getMessage());
        };
    }
}
