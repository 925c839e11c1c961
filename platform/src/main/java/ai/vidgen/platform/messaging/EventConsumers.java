package ai.vidgen.platform.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.shutdown.WorkInFlight;
import ai.vidgen.platform.tracing.GenerationSpans;
import ai.vidgen.platform.tracing.RecentTraces;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The consumer template every service's {@code @Incoming} method goes through:
 * <ol>
 *   <li>decode; a record that does not decode is nacked into the dead-letter topic with the reason
 *       in its headers, and the partition moves on;</li>
 *   <li>skip a fact this consumer already handled (a redelivery after a rebalance); the durable
 *       guarantee stays with the handler's unique constraints, this only saves the work;</li>
 *   <li>run the handler inside a span of the generation's trace;</li>
 *   <li>retry transient failures with capped, jittered backoff for as long as it takes (never
 *       dead-lettered: a valid event is never dropped), reporting the consumer on readiness while
 *       it waits; dead-letter failures no retry can fix, with the reason;</li>
 *   <li>acknowledge the record once the handler's work (and whatever it published) is durable.</li>
 * </ol>
 * The returned {@link Uni} settles the message itself and never fails. Each record is a unit of
 * {@link WorkInFlight}: a graceful shutdown lets a record being handled finish and starts no new one
 * (that one never settles, so it is delivered again after the restart).
 */
@ApplicationScoped
public class EventConsumers {

    private static final Logger LOG = Logger.getLogger(EventConsumers.class);
    private static final int REMEMBERED_PER_CONSUMER = 4096;

    private final GenerationSpans spans;
    private final RecentTraces traces;
    private final ConsumerHealth health;
    private final MeterRegistry registry;
    private final WorkInFlight inFlight;
    private final String application;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, Set<String>> handled = new ConcurrentHashMap<>();

    public EventConsumers(GenerationSpans spans, RecentTraces traces, ConsumerHealth health, MeterRegistry registry,
            WorkInFlight inFlight,
            @ConfigProperty(name = "quarkus.application.name") String application,
            @ConfigProperty(name = "vidgen.consumer.retry.initial-backoff", defaultValue = "200ms") Duration initialBackoff,
            @ConfigProperty(name = "vidgen.consumer.retry.max-backoff", defaultValue = "10s") Duration maxBackoff) {
        this.spans = spans;
        this.traces = traces;
        this.health = health;
        this.registry = registry;
        this.inFlight = inFlight;
        this.application = application;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** A lifecycle event from {@code generation-events}. */
    public Uni<Void> consume(String consumer, Message<String> message, EventHandler handler) {
        return consume(consumer, message, m -> Delivery.of(EventCodec.decode(m.getPayload())),
                delivery -> handler.handle(delivery.value()));
    }

    /**
     * Any record: {@code decoder} turns it into a {@link Delivery} (throwing for a record that is
     * not one), {@code handler} does the work.
     */
    public <T> Uni<Void> consume(String consumer, Message<String> message, Function<Message<String>, Delivery<T>> decoder,
            Function<Delivery<T>, Uni<Void>> handler) {
        // Once the service shuts down, a record that was not started yet is left alone: never
        // settled, its offset is not committed, and it is delivered again after the restart.
        return inFlight.run(() -> consumeNow(consumer, message, decoder, handler), () -> {
            LOG.debugf("%s: shutting down; a record is left to be delivered again after the restart", consumer);
            return Uni.createFrom().nothing();
        });
    }

    private <T> Uni<Void> consumeNow(String consumer, Message<String> message,
            Function<Message<String>, Delivery<T>> decoder, Function<Delivery<T>, Uni<Void>> handler) {
        Delivery<T> delivery;
        try {
            delivery = decoder.apply(message);
        } catch (RuntimeException e) {
            LOG.warnf("%s: dead-lettering an undecodable record: %s", consumer, e.getMessage());
            count(consumer, "undecodable", "unknown");
            return settle(message.nack(e));
        }
        if (alreadyHandled(consumer, delivery.dedupKey())) {
            count(consumer, "duplicate", delivery.shortType());
            return settle(message.ack());
        }
        if (delivery.generationId() != null) {
            delivery.trace().ifPresent(trace -> traces.remember(delivery.generationId(), trace));
        }
        String span = application + " " + consumer + " " + delivery.shortType();
        return spans.within(span, SpanKind.CONSUMER, delivery.trace(), delivery.generationId(),
                        () -> retried(consumer, delivery, handler))
                .onItem().transformToUni(ignored -> {
                    remember(consumer, delivery.dedupKey());
                    count(consumer, "handled", delivery.shortType());
                    LOG.debugf("%s: handled %s of %s", consumer, delivery.type(), delivery.generationId());
                    return settle(message.ack());
                })
                .onFailure().recoverWithUni(failure -> {
                    LOG.errorf("%s: dead-lettering %s of %s, no retry can fix it: %s", consumer, delivery.type(),
                            delivery.generationId(), failure.toString());
                    count(consumer, "dead_lettered", delivery.shortType());
                    return settle(message.nack(failure));
                });
    }

    private <T> Uni<Void> retried(String consumer, Delivery<T> delivery, Function<Delivery<T>, Uni<Void>> handler) {
        return Uni.createFrom().deferred(() -> handler.apply(delivery))
                .onFailure(Failures::isTransient).invoke(failure -> {
                    health.retrying(consumer, delivery.dedupKey(), failure);
                    LOG.warnf("%s: cannot handle %s of %s yet, retrying: %s", consumer, delivery.type(),
                            delivery.generationId(), failure.toString());
                })
                .onFailure(Failures::isTransient).retry().withBackOff(initialBackoff, maxBackoff).withJitter(0.2)
                .indefinitely()
                .onItemOrFailure().invoke((ok, failure) -> health.recovered(consumer));
    }

    /** A delivery without a dedup key (a command that may be sent again on purpose) is never skipped. */
    private boolean alreadyHandled(String consumer, String key) {
        if (key == null) {
            return false;
        }
        Set<String> keys = handled.get(consumer);
        return keys != null && keys.contains(key);
    }

    private void remember(String consumer, String key) {
        if (key == null) {
            return;
        }
        handled.computeIfAbsent(consumer, c -> Collections.synchronizedSet(Collections.newSetFromMap(
                new LinkedHashMap<>() {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > REMEMBERED_PER_CONSUMER;
                    }
                }))).add(key);
    }

    private void count(String consumer, String outcome, String type) {
        registry.counter("vidgen.events.consumed", "consumer", consumer, "outcome", outcome, "type", type).increment();
    }

    private static Uni<Void> settle(java.util.concurrent.CompletionStage<Void> settlement) {
        return Uni.createFrom().completionStage(settlement);
    }
}
