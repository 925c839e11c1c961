package ai.vidgen.faladapter.webhook;

import ai.vidgen.faladapter.config.FalConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * fal's webhook keys from {@code fal.webhook.jwks-url}, cached for {@code jwks-cache-ttl} (at most
 * 24 h). A delivery no cached key verifies may trigger one early refresh (key rotation), at most
 * once a minute, so forged deliveries cannot make the adapter hammer the JWKS host.
 */
@ApplicationScoped
public class JwksKeys {

    private static final Logger LOG = Logger.getLogger(JwksKeys.class);
    private static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Duration MIN_REFRESH_GAP = Duration.ofMinutes(1);

    private record Cached(List<PublicKey> keys, Instant fetchedAt) {
    }

    private final FalConfig.Webhook config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration ttl;
    private volatile Cached cached;

    public JwksKeys(FalConfig config, ObjectMapper json) {
        this.config = config.webhook();
        this.json = json;
        this.ttl = config.webhook().jwksCacheTtl().compareTo(MAX_TTL) > 0 ? MAX_TTL : config.webhook().jwksCacheTtl();
        this.http = HttpClient.newBuilder().connectTimeout(config.webhook().jwksTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The cached keys, fetched when absent or older than the TTL. */
    public Uni<List<PublicKey>> keys() {
        Cached now = cached;
        if (now != null && now.fetchedAt().plus(ttl).isAfter(Instant.now())) {
            return Uni.createFrom().item(now.keys());
        }
        return fetch();
    }

    /** Whether an early refresh is allowed now (the cache is older than a minute). */
    public boolean mayRefresh() {
        Cached now = cached;
        return now == null || now.fetchedAt().plus(MIN_REFRESH_GAP).isBefore(Instant.now());
    }

    public Uni<List<PublicKey>> fetch() {
        HttpRequest request = HttpRequest.newBuilder(config.jwksUrl()).timeout(config.jwksTimeout())
                .header("Accept", "application/json").GET().build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("JWKS answered HTTP " + response.statusCode());
                    }
                    List<PublicKey> keys = parse(response.body());
                    cached = new Cached(keys, Instant.now());
                    LOG.debugf("fetched %d webhook key(s) from %s", keys.size(), config.jwksUrl());
                    return keys;
                });
    }

    private List<PublicKey> parse(byte[] body) {
        List<PublicKey> keys = new ArrayList<>();
        try {
            JsonNode root = json.readTree(body);
            for (JsonNode key : root.path("keys")) {
                String x = key.path("x").asText(null);
                String kty = key.path("kty").asText("OKP");
                String crv = key.path("crv").asText("Ed25519");
                if (x == null || !"OKP".equals(kty) || !"Ed25519".equals(crv)) {
                    continue;
                }
                try {
                    keys.add(WebhookSignature.ed25519(Base64.getUrlDecoder().decode(x)));
                } catch (Exception e) {
                    LOG.warnf("skipping an unusable JWKS key: %s", e.getMessage());
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("JWKS is not JSON", e);
        }
        return List.copyOf(keys);
    }
}
