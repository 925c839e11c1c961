package ai.vidgen.faladapter.webhook;

import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import ai.vidgen.faladapter.persistence.FalRequestRepository.WebhookEffect;
import ai.vidgen.faladapter.tracking.AdapterMetrics;
import ai.vidgen.faladapter.tracking.Submitter;
import ai.vidgen.faladapter.tracking.VertxContexts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * {@code POST /fal/webhooks/{token}}: fal's completion callback. The delivery must carry fal's
 * Ed25519 signature (checked against the JWKS, timestamp within the skew) and a token this
 * adapter signed; otherwise 401 and nothing changes. A verified delivery never decides the
 * outcome by itself: it makes the attempt due for polling at once (the poller fetches status and
 * result and publishes, idempotently), and it recovers an attempt whose submit reply was lost by
 * recording the request id it carries. Duplicates find the row already done and change nothing.
 */
@Path("/fal/webhooks")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final WebhookUrls urls;
    private final JwksKeys jwks;
    private final FalRequestRepository repository;
    private final Submitter submitter;
    private final AdapterMetrics metrics;
    private final VertxContexts contexts;
    private final ObjectMapper json;
    private final FalConfig config;
    private final Clock clock = Clock.systemUTC();

    public WebhookResource(WebhookUrls urls, JwksKeys jwks, FalRequestRepository repository, Submitter submitter,
            AdapterMetrics metrics, VertxContexts contexts, ObjectMapper json, FalConfig config) {
        this.urls = urls;
        this.jwks = jwks;
        this.repository = repository;
        this.submitter = submitter;
        this.metrics = metrics;
        this.contexts = contexts;
        this.json = json;
        this.config = config;
    }

    @POST
    @Path("/{token}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(@PathParam("token") String token,
            @HeaderParam("X-Fal-Webhook-Request-Id") String requestId,
            @HeaderParam("X-Fal-Webhook-User-Id") String userId,
            @HeaderParam("X-Fal-Webhook-Timestamp") String timestamp,
            @HeaderParam("X-Fal-Webhook-Signature") String signature,
            byte[] body) {
        Executor context = contexts.current();
        byte[] raw = body == null ? new byte[0] : body;
        Optional<WebhookToken.Ref> ref = urls.read(token);
        if (ref.isEmpty()) {
            return Uni.createFrom().item(reject("bad_token", requestId));
        }
        return verify(requestId, userId, timestamp, signature, raw)
                .emitOn(context)
                .chain(problem -> {
                    if (problem.isPresent()) {
                        return Uni.createFrom().item(reject(problem.get(), requestId));
                    }
                    String bodyId = bodyRequestId(raw);
                    if (bodyId != null && !bodyId.equals(requestId)) {
                        return Uni.createFrom().item(reject("request_id_mismatch", requestId));
                    }
                    return apply(ref.get(), requestId.trim(), context);
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("webhook for fal request %s not processed, fal will retry: %s", requestId, failure.toString());
                    metrics.webhook("error", "unavailable");
                    return Response.status(503).entity(Map.of("detail", "try again later")).build();
                });
    }

    private Uni<Optional<String>> verify(String requestId, String userId, String timestamp, String signature,
            byte[] body) {
        return jwks.keys().chain(keys -> {
            Optional<String> problem = check(requestId, userId, timestamp, signature, body, keys);
            boolean unknownKey = problem.filter(p -> p.equals("bad_signature") || p.equals("no_keys")).isPresent();
            if (unknownKey) {
                if (jwks.mayRefresh()) { // keys may have rotated
                    return jwks.fetch().map(fresh -> check(requestId, userId, timestamp, signature, body, fresh));
                }
            }
            return Uni.createFrom().item(problem);
        });
    }

    private Optional<String> check(String requestId, String userId, String timestamp, String signature, byte[] body,
            List<PublicKey> keys) {
        return WebhookSignature.problem(requestId, userId, timestamp, signature, body, keys, Instant.now(clock),
                config.webhook().maxSkew());
    }

    private Uni<Response> apply(WebhookToken.Ref ref, String requestId, Executor context) {
        return Uni.createFrom().deferred(() -> repository.onWebhook(ref.generationId(), ref.attempt(), requestId,
                        clock.instant()))
                .runSubscriptionOn(context)
                .chain(update -> {
                    metrics.webhook("accepted", update.effect().name().toLowerCase(java.util.Locale.ROOT));
                    if (update.effect() == WebhookEffect.OTHER_REQUEST || update.effect() == WebhookEffect.UNKNOWN) {
                        LOG.warnf("webhook for generation %s attempt %d carries fal request %s: %s; ignored",
                                ref.generationId(), ref.attempt(), requestId, update.effect());
                    } else {
                        LOG.debugf("webhook for generation %s attempt %d (fal request %s): %s", ref.generationId(),
                                ref.attempt(), requestId, update.effect());
                    }
                    Uni<Void> next = update.effect() == WebhookEffect.RECOVERED
                            ? submitter.recovered(update.row())
                            : Uni.createFrom().voidItem();
                    return next.replaceWith(Response.ok(Map.of("effect", update.effect().name())).build());
                });
    }

    private String bodyRequestId(byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            return tree == null ? null : tree.path("request_id").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private Response reject(String reason, String requestId) {
        LOG.warnf("webhook rejected (%s) for claimed fal request %s", reason, requestId);
        metrics.webhook("rejected", reason);
        return Response.status(401).entity(Map.of("detail", "webhook rejected: " + reason)).build();
    }
}
