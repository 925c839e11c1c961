package ai.vidgen.request.webhook;

import ai.vidgen.platform.net.GuardedHttpClient;
import ai.vidgen.platform.net.GuardedRequest;
import ai.vidgen.platform.net.RefusedUrlException;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.urlpolicy.UrlPolicy;
import ai.vidgen.request.webhook.WebhookDeliveries.Delivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Delivers queued callbacks: signs each with the tenant's secret, POSTs it, and on anything but a
 * 2xx schedules the next attempt with exponential backoff and jitter until
 * {@code request.webhooks.max-attempts}, after which the delivery is marked failed. Everything
 * lives in {@code webhook_deliveries}, so a restart resumes where it stopped.
 *
 * <p>Every attempt goes through a {@link GuardedHttpClient} with the {@link UrlPolicy}'s rules:
 * the callback host is resolved once for that attempt, every address is checked, and the POST
 * connects to the checked address, so a name re-pointed at a private address since the request
 * was accepted (or between the check and the connection) is refused, not reached. Redirects are
 * not followed: a 3xx counts as a failed attempt.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final WebhookDeliveries deliveries;
    private final UrlPolicy urlPolicy;
    private final RequestConfig.Webhooks config;
    private final MeterRegistry registry;
    private final GuardedHttpClient http;

    public WebhookWorker(WebhookDeliveries deliveries, UrlPolicy urlPolicy, RequestConfig config,
            MeterRegistry registry, Vertx vertx) {
        this.deliveries = deliveries;
        this.urlPolicy = urlPolicy;
        this.config = config.webhooks();
        this.registry = registry;
        // One pass sends up to batch-size POSTs at once, possibly all to the same receiver.
        this.http = new GuardedHttpClient(vertx, urlPolicy.guard(), new HttpClientOptions()
                .setMaxPoolSize(this.config.batchSize()));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    @Scheduled(every = "${request.webhooks.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> tick() {
        return runOnce().onFailure().invoke(f -> LOG.warnf("webhook pass failed: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One pass: claims due deliveries and attempts each; returns how many were attempted. */
    public Uni<Integer> runOnce() {
        Duration lease = config.timeout().multipliedBy(2).plusSeconds(5);
        return deliveries.claimDue(config.batchSize(), lease).chain(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Uni<Void>> attempts = new ArrayList<>();
            batch.forEach(d -> attempts.add(attempt(d)));
            return Uni.join().all(attempts).andCollectFailures().replaceWith(batch.size());
        });
    }

    private Uni<Void> attempt(Delivery d) {
        return deliveries.secret(d.tenantId()).chain(secret -> post(d, secret)).chain(outcome -> {
            if (outcome.status() != null && outcome.status() >= 200 && outcome.status() < 300) {
                registry.counter("vidgen.request.webhooks", "outcome", "delivered").increment();
                return deliveries.delivered(d.id(), outcome.status());
            }
            return failed(d, outcome.status(), outcome.error());
        });
    }

    /** What one POST came to: the receiver's status, or why there is none. */
    private record Outcome(Integer status, String error) {
    }

    private Uni<Outcome> post(Delivery d, String secret) {
        URI uri;
        try {
            uri = URI.create(d.url());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Outcome(null, "refused by the URL policy: not a valid URL"));
        }
        long timestamp = Instant.now().getEpochSecond();
        GuardedRequest request = GuardedRequest.post(uri, Buffer.buffer(d.payload()))
                .header("content-type", "application/json")
                .header("user-agent", "vidgen-webhooks/1")
                .header("webhook-id", d.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(secret, d.id(), timestamp, d.payload()))
                .rule(urlPolicy.rule())
                .connectTimeout(CONNECT_TIMEOUT.compareTo(config.timeout()) < 0 ? CONNECT_TIMEOUT : config.timeout());
        return http.send(request)
                .map(response -> {
                    // The status is the answer; the body is not read, and the connection is closed.
                    int status = response.status();
                    response.close();
                    return new Outcome(status, status >= 200 && status < 300 ? null
                            : "the receiver answered " + status);
                })
                // On time or not at all: the timeout cancels the exchange, which closes its connection.
                .ifNoItem().after(config.timeout()).failWith(() -> new TimeoutException("no answer within "
                        + config.timeout()))
                .onFailure().recoverWithItem(f -> new Outcome(null, f instanceof RefusedUrlException
                        ? "refused by the URL policy: " + f.getMessage()
                        : f.getClass().getSimpleName() + (f.getMessage() == null ? "" : ": " + f.getMessage())));
    }

    private Uni<Void> failed(Delivery d, Integer status, String error) {
        int attempts = d.attempts() + 1;
        Optional<Instant> next = attempts >= config.maxAttempts() ? Optional.empty()
                : Optional.of(Instant.now().plus(backoff(attempts)));
        registry.counter("vidgen.request.webhooks", "outcome", next.isPresent() ? "retry" : "failed").increment();
        LOG.debugf("webhook %s attempt %d failed (%s); %s", d.id(), attempts, error,
                next.map(t -> "next at " + t).orElse("giving up"));
        return deliveries.attemptFailed(d.id(), status, error, next);
    }

    /** initial × 2^(attempts-1), capped, with up to 20 % jitter so retries of many receivers spread. */
    Duration backoff(int attempts) {
        long base = config.initialBackoff().toMillis();
        long millis = Math.min(config.maxBackoff().toMillis(), base << Math.min(attempts - 1, 30));
        long jitter = (long) (millis * 0.2 * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(millis + jitter);
    }
}
