package ai.vidgen.request.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.request.persistence.OutboxRepository;
import ai.vidgen.request.persistence.OutboxRow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * A row is marked sent only once the broker acknowledged it, and a failure keeps everything from
 * the first unacknowledged row on for the next pass, so order survives an outage. Runs the real
 * relay against an in-memory outbox and a broker whose acks the test decides.
 */
class OutboxRelayAckTest {

    private static final EventCodec CODEC = new EventCodec("/vidgen/request-service");

    @Test
    void nothingIsMarkedWhileTheBrokerRefusesAndEverythingOnceItAcks() {
        InMemoryOutbox outbox = new InMemoryOutbox(3);
        Broker broker = new Broker();
        OutboxRelay relay = relay(outbox, broker, 100);

        broker.refuse = payload -> true;
        relay.nudge();
        assertEquals(Set.of(), outbox.sent);

        broker.refuse = payload -> false;
        relay.nudge();
        assertEquals(Set.of(1L, 2L, 3L), outbox.sent);
        assertEquals(List.of("g1", "g2", "g3"), broker.accepted);
    }

    @Test
    void aFailureInTheMiddleKeepsTheRestForTheNextPassInOrder() {
        InMemoryOutbox outbox = new InMemoryOutbox(4);
        Broker broker = new Broker();
        OutboxRelay relay = relay(outbox, broker, 100);

        broker.refuse = payload -> payload.contains("\"generationId\":\"g2\"");
        relay.nudge();
        // g3 and g4 were acknowledged, but g2 was not: only g1 is marked, g2.. go again, in order.
        assertEquals(Set.of(1L), outbox.sent);

        broker.refuse = payload -> false;
        relay.nudge();
        assertEquals(Set.of(1L, 2L, 3L, 4L), outbox.sent);
        assertEquals(List.of("g1", "g3", "g4", "g2", "g3", "g4"), broker.accepted);
    }

    @Test
    void aFullBatchIsFollowedByAnotherPassAtOnce() {
        InMemoryOutbox outbox = new InMemoryOutbox(5);
        OutboxRelay relay = relay(outbox, new Broker(), 2);
        relay.nudge();
        assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), outbox.sent);
        assertEquals(3, outbox.passes);
    }

    private static OutboxRelay relay(OutboxRepository outbox, Broker broker, int batchSize) {
        return new OutboxRelay(outbox, broker, batchSize, Duration.ofSeconds(5), new SimpleMeterRegistry());
    }

    /** The outbox table's contract without the database: unsent rows in id order, marked by id. */
    static final class InMemoryOutbox extends OutboxRepository {
        final List<OutboxRow> rows = new ArrayList<>();
        final Set<Long> sent = new LinkedHashSet<>();
        int passes;

        InMemoryOutbox(int count) {
            super(null);
            for (int i = 1; i <= count; i++) {
                String id = "g" + i;
                GenerationRequested event = new GenerationRequested(id, "t", new GenerationSpec(
                        "fal-ai/kling-video/v3/standard/text-to-video", 5, true, false), null, "interactive", null,
                        Instant.parse("2026-03-01T12:00:00Z"));
                rows.add(new OutboxRow(i, id, id + ":requested", CODEC.encode(event)));
            }
        }

        @Override
        public Uni<Integer> relayPass(int limit, Function<List<OutboxRow>, Uni<List<Long>>> publish) {
            passes++;
            List<OutboxRow> batch = rows.stream().filter(r -> !sent.contains(r.id())).limit(limit).toList();
            if (batch.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return publish.apply(batch).map(ids -> {
                sent.addAll(ids);
                return ids.size();
            });
        }
    }

    /** Acknowledges or refuses each record as the test says, recording the keys it accepted. */
    static final class Broker implements MutinyEmitter<String> {
        Predicate<String> refuse = payload -> false;
        final List<String> accepted = new ArrayList<>();

        @Override
        public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
            return Uni.createFrom().deferred(() -> {
                String payload = message.getPayload();
                if (refuse.test(payload)) {
                    return Uni.createFrom().failure(new IllegalStateException("broker unavailable"));
                }
                accepted.add(EventCodec.decode(payload).data().generationId());
                return Uni.createFrom().voidItem();
            });
        }

        @Override
        public Uni<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void send(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> void sendMessageAndAwait(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends String>> Cancellable sendMessageAndForget(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
