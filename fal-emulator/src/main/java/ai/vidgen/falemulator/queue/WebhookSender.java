package ai.vidgen.falemulator.queue;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.domain.Outcome;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Delivers {@code fal_webhook} callbacks when a request completes: POST
 * {@code {request_id, gateway_request_id, status: OK|ERROR, payload, error?}}, signed, retried on a
 * non-2xx answer or a timeout with a doubling delay. Delivery faults (dropped, duplicated, late)
 * apply per request. Every attempt is recorded for the admin view.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int MAX_RECORDED = 10_000;

    /** One delivery attempt, as the admin view lists it. */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Attempt(String requestId, String url, int attempt, int httpStatus, String error, Instant at) {
    }

    private final WebhookSigner signer;
    private final Faults faults;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final EmulatorConfig config;
    private final HttpClient http;
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicLong delivered = new AtomicLong();

    public WebhookSender(WebhookSigner signer, Faults faults, Vertx vertx, ObjectMapper json, EmulatorConfig config) {
        this.signer = signer;
        this.faults = faults;
        this.vertx = vertx;
        this.json = json;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.webhookTimeout()).build();
    }

    /** Called once per completed request; does nothing without a webhook URL. */
    public void completed(RequestSnapshot request) {
        if (request.request().webhookUrl().isEmpty()) {
            return;
        }
        String endpoint = request.request().endpoint().id();
        if (faults.strikes(Fault.WEBHOOK_DROPPED, endpoint)) {
            record(new Attempt(request.id(), request.request().webhookUrl().get(), 0, 0, "dropped (fault)", Instant.now()));
            return;
        }
        byte[] body = body(request);
        long delay = faults.strikes(Fault.WEBHOOK_LATE, endpoint) ? config.webhookLateDelay().toMillis() : 0;
        int copies = faults.strikes(Fault.WEBHOOK_DUPLICATED, endpoint) ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            later(delay + i * 50L, () -> attempt(request.id(), request.request().webhookUrl().get(), body, 1));
        }
    }

    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public synchronized void reset() {
        attempts.clear();
    }

    private void attempt(String requestId, String url, byte[] body, int attempt) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String userId = config.webhookUserId();
        HttpRequest post;
        try {
            post = HttpRequest.newBuilder(URI.create(url))
                    .timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("X-Fal-Webhook-Request-Id", requestId)
                    .header("X-Fal-Webhook-User-Id", userId)
                    .header("X-Fal-Webhook-Timestamp", timestamp)
                    .header("X-Fal-Webhook-Signature", signer.sign(requestId, userId, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            record(new Attempt(requestId, url, attempt, 0, "invalid webhook URL: " + e.getMessage(), Instant.now()));
            return;
        }
        http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            int code = response == null ? 0 : response.statusCode();
            String error = failure == null ? null : failure.getClass().getSimpleName() + ": " + failure.getMessage();
            record(new Attempt(requestId, url, attempt, code, error, Instant.now()));
            if (failure == null && code >= 200 && code < 300) {
                delivered.incrementAndGet();
                return;
            }
            if (attempt > config.webhookRetries()) {
                LOG.warnf("webhook for %s given up after %d attempts (last: %s)", requestId, attempt,
                        error != null ? error : "HTTP " + code);
                return;
            }
            long base = config.webhookRetryDelay().toMillis() << Math.min(attempt - 1, 20);
            long delay = Math.min(base, config.webhookMaxRetryDelay().toMillis());
            later(delay, () -> attempt(requestId, url, body, attempt + 1));
        });
    }

    private byte[] body(RequestSnapshot request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", request.id());
        body.put("gateway_request_id", request.id());
        Outcome outcome = request.outcome().orElseThrow();
        if (outcome instanceof Outcome.Succeeded output) {
            body.put("status", "OK");
            body.put("payload", output.payload());
        } else {
            Outcome.Failed failed = (Outcome.Failed) outcome;
            body.put("status", "ERROR");
            body.put("error", "Invalid status code: " + failed.httpStatus());
            body.put("payload", failed.body());
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void record(Attempt attempt) {
        if (attempts.size() >= MAX_RECORDED) {
            attempts.remove(0);
        }
        attempts.add(attempt);
    }

    private void later(long millis, Runnable action) {
        if (millis <= 0) {
            action.run();
        } else {
            vertx.setTimer(millis, id -> action.run());
        }
    }
}
