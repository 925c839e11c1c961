package ai.vidgen.request.webhook;

import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.urlpolicy.UrlPolicy;
import ai.vidgen.request.webhook.WebhookDeliveries.Delivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Delivers queued callbacks: signs each with the tenant's secret, POSTs it, and on anything but a
 * 2xx schedules the next attempt with exponential backoff and jitter until
 * {@code request.webhooks.max-attempts}, after which the delivery is marked failed. Everything
 * lives in {@code webhook_deliveries}, so a restart resumes where it stopped.
 *
 * <p>The URL policy is checked again before every attempt: the name may have been re-pointed at
 * a private address since the request was accepted.
 */
@ApplicationScoped
public class WebhookWorker {

    private static final Logger LOG = Logger.getLogger(WebhookWorker.class);

    private final WebhookDeliveries deliveries;
    private final UrlPolicy urlPolicy;
    private final RequestConfig.Webhooks config;
    private final MeterRegistry registry;
    // JDK client: asynchronous, so sending never holds the event loop, and no extra dependency.
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookWorker(WebhookDeliveries deliveries, UrlPolicy urlPolicy, RequestConfig config,
            MeterRegistry registry) {
        this.deliveries = deliveries;
        this.urlPolicy = urlPolicy;
        this.config = config.webhooks();
        this.registry = registry;
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
        return urlPolicy.refusal(d.url()).chain(refused -> {
            if (refused != null) {
                return failed(d, null, "refused by the URL policy: " + refused);
            }
            return deliveries.secret(d.tenantId()).chain(secret -> send(d, secret));
        });
    }

    private Uni<Void> send(Delivery d, String secret) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.url()))
                .timeout(config.timeout())
                .header("content-type", "application/json")
                .header("user-agent", "vidgen-webhooks/1")
                .header("webhook-id", d.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(secret, d.id(), timestamp, d.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
                .build();
        return Uni.createFrom().completionStage(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .chain(response -> {
                    int status = response.statusCode();
                    if (status >= 200 && status < 300) {
                        registry.counter("vidgen.request.webhooks", "outcome", "delivered").increment();
                        return deliveries.delivered(d.id(), status);
                    }
                    return failed(d, status, "the receiver answered " + status);
                })
                .onFailure().recoverWithUni(f -> failed(d, null, f.getClass().getSimpleName()
                        + (f.getMessage() == null ? "" : ": " + f.getMessage())));
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
