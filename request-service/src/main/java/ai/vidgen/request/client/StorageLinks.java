package ai.vidgen.request.client;

import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.request.config.RequestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Links to storage-service's objects, signed for the tenant that owns them ({@link SignedUrls}):
 * storage serves nothing without one. Two lifetimes: clients get short-lived links
 * ({@code request.video-url-validity}); links that go into a generation's input for fal to fetch
 * ({@code request.input-url-validity}) must outlive the wait in the queue.
 */
@ApplicationScoped
public class StorageLinks {

    private final SignedUrls urls;
    private final String publicUrl;
    private final String internalUrl;
    private final Duration clientValidity;
    private final Duration inputValidity;

    public StorageLinks(SignedUrls urls, RequestConfig config,
            @ConfigProperty(name = "quarkus.rest-client.storage.url") String internalUrl) {
        this.urls = urls;
        this.publicUrl = withoutTrailingSlash(config.storagePublicUrl());
        this.internalUrl = withoutTrailingSlash(internalUrl);
        this.clientValidity = config.videoUrlValidity();
        this.inputValidity = config.inputUrlValidity();
    }

    /** Without a key every completed video's view would fail: refuse to start instead. */
    void requireKey(@Observes StartupEvent started) {
        urls.requireSigningKey();
    }

    /** {@code video.url} of the API's views: the archived MP4, for a client, for a short while. */
    public String videoForClient(String tenant, String generationId) {
        return publicVideo(generationId) + "?" + urls.sign(tenant, SignedUrls.video(generationId), clientValidity).query();
    }

    /** The archived MP4 as a generation's input (remix), for fal, long enough to outlive the queue. */
    public String videoForFal(String tenant, String generationId) {
        return publicVideo(generationId) + "?" + urls.sign(tenant, SignedUrls.video(generationId), inputValidity).query();
    }

    /**
     * The archived MP4's address without a signature: what a remix request is fingerprinted with,
     * so that a retried remix matches its first attempt whatever the signature's expiry.
     */
    public String publicVideo(String generationId) {
        return publicUrl + "/v1/videos/" + generationId;
    }

    /** An uploaded input, for fal, long enough to outlive the queue. */
    public String inputForFal(String tenant, String inputId) {
        return publicUrl + "/v1/inputs/" + inputId + "?"
                + urls.sign(tenant, SignedUrls.input(inputId), inputValidity).query();
    }

    /** The archived MP4 at the address services reach storage at, for request-service's own proxy. */
    public URI videoForProxy(String tenant, String generationId) {
        return URI.create(internalUrl + "/v1/videos/" + generationId + "?"
                + urls.sign(tenant, SignedUrls.video(generationId), clientValidity).query());
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
