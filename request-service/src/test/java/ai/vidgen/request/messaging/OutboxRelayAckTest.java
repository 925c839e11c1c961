package ai.vidgen.request.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.outbox.OutboxConfig;
import ai.vidgen.platform.outbox.OutboxEventRefused;
import ai.vidgen.platform.outbox.OutboxRelay;
import ai.vidgen.platform.outbox.OutboxStore;
import ai.vidgen.request.GenerationIntake;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.quarkus.SharedInfrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay request-service's 202 rests on (the platform's, since request-service moved
 * onto it), over this service's own table as its migrations leave it: a row leaves the outbox only
 * once the broker acknowledged it, and a failure keeps everything from the first unacknowledged
 * row on for the next pass, so order survives an outage. Runs the real relay and store against a
 * real PostgreSQL database and a broker whose acks the test decides; no scheduler runs, so every
 * pass is one the test asked for.
 */
class OutboxRelayAckTest {

    private static final EventCodec CODEC = new EventCodec(GenerationIntake.EVENT_SOURCE);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Vertx vertx = Vertx.vertx();
    private PostgresServer server;
    private String database;
    private Pool pool;

    @BeforeEach
    void freshDatabase() {
        server = SharedInfrastructure.postgres();
        database = "outbox_" + UUID.randomUUID().toString().replace("-", "");
        server.ensureDatabase(database);
        pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(server.reactiveUrl(database))
                .setUser(server.user()).setPassword(server.password())).using(vertx).build();
    }

    @AfterEach
    void close() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
    }

    @Test
    void nothingLeavesWhileTheBrokerRefusesAndEverythingOnceItAcks() {
        migrate(null);
        append(3);
        Broker broker = new Broker();
        OutboxRelay relay = relay(broker, 100, new Refusals());

        broker.refuse = payload -> true;
        relay.nudge();
        Awaitility.await().atMost(WAIT).until(() -> broker.attempts() == 3);
        assertEquals(List.of("g1", "g2", "g3"), pending());

        broker.refuse = payload -> false;
        relay.nudge();
        Awaitility.await().atMost(WAIT).until(() -> pending().isEmpty());
        assertEquals(List.of("g1", "g2", "g3"), broker.accepted);
    }

    @Test
    void aFailureInTheMiddleKeepsTheRestForTheNextPassInOrder() {
        migrate(null);
        append(4);
        Broker broker = new Broker();
        OutboxRelay relay = relay(broker, 100, new Refusals());

        broker.refuse = payload -> payload.contains("\"generationId\":\"g2\"");
        relay.nudge();
        // g3 and g4 were acknowledged, but g2 was not: only g1 leaves, g2.. go again, in order.
        Awaitility.await().atMost(WAIT).until(() -> pending().equals(List.of("g2", "g3", "g4")));

        broker.refuse = payload -> false;
        relay.nudge();
        Awaitility.await().atMost(WAIT).until(() -> pending().isEmpty());
        assertEquals(List.of("g1", "g3", "g4", "g2", "g3", "g4"), broker.accepted);
    }

    @Test
    void aFullBatchIsFollowedByAnotherPassAtOnce() {
        migrate(null);
        append(5);
        Broker broker = new Broker();
        // One nudge and no schedule: only passes that follow a full batch by themselves get past g2.
        relay(broker, 2, new Refusals()).nudge();
        Awaitility.await().atMost(WAIT).until(() -> pending().isEmpty());
        assertEquals(List.of("g1", "g2", "g3", "g4", "g5"), broker.accepted);
    }

    /** What request-service gains from the move: a record the broker can never take no longer blocks the rest. */
    @Test
    void aRecordRefusedForGoodIsSetAsideAndAnnouncedWithoutBlockingTheRowsBehindIt() {
        migrate(null);
        append(3);
        Broker broker = new Broker();
        broker.refusal = () -> new RecordTooLargeException("too large");
        broker.refuse = payload -> payload.contains("\"generationId\":\"g2\"");
        Refusals refusals = new Refusals();
        relay(broker, 100, refusals).nudge();

        Awaitility.await().atMost(WAIT).until(() -> refusals.fired.size() == 1);
        assertEquals(List.of(), pending());
        assertEquals(List.of("g1", "g3"), broker.accepted);
        assertEquals("g2", refusals.fired.get(0).generationId());
        Row aside = pool.query("SELECT generation_id, refused_at, refusal FROM outbox").execute()
                .await().atMost(WAIT).iterator().next();
        assertEquals("g2", aside.getString("generation_id"));
        assertTrue(aside.getString("refusal").contains("too large"), aside.getString("refusal"));
    }

    /**
     * V5 turns the service's own outbox into the platform's: what was sent is dropped, what was
     * not goes out verbatim, in order, with the id and time it was written with.
     */
    @Test
    void theMigrationKeepsTheUnsentRowsOfTheOldOutboxForTheRelay() {
        migrate("4");
        String old = "INSERT INTO outbox (generation_id, event_id, event_type, payload, sent_at) VALUES ($1, $2, $3, $4, $5)";
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            written.add(requested("g" + i));
            pool.preparedQuery(old).execute(Tuple.of("g" + i, "g" + i + ":requested", "ai.vidgen.generation.requested",
                    written.get(i - 1), i == 1 ? OffsetDateTime.now() : null)).await().atMost(WAIT);
        }
        migrate(null);
        assertEquals(List.of("g2", "g3"), pending());

        Broker broker = new Broker();
        relay(broker, 100, new Refusals()).nudge();
        Awaitility.await().atMost(WAIT).until(() -> pending().isEmpty());
        assertEquals(List.of("g2", "g3"), broker.accepted);
        assertEquals(written.subList(1, 3), broker.payloads);
    }

    private void migrate(String target) {
        Flyway.configure().dataSource(server.jdbcUrl(database), server.user(), server.password())
                .locations("classpath:db/migration").target(target == null ? "latest" : target).load().migrate();
    }

    /** Rows as the platform's Outbox appends them. */
    private void append(int count) {
        for (int i = 1; i <= count; i++) {
            pool.preparedQuery("INSERT INTO outbox (generation_id, event_id, event_type, cloud_event) VALUES ($1, $2, $3, $4)")
                    .execute(Tuple.of("g" + i, "g" + i + ":requested", "ai.vidgen.generation.requested", requested("g" + i)))
                    .await().atMost(WAIT);
        }
    }

    private static String requested(String id) {
        return CODEC.encode(new GenerationRequested(id, "t", new GenerationSpec(
                "fal-ai/kling-video/v3/standard/text-to-video", 5, true, false), null, "interactive", null,
                Instant.parse("2026-03-01T12:00:00Z")));
    }

    /** The generations still waiting in the outbox (not set aside), in the order they go out. */
    private List<String> pending() {
        List<String> ids = new ArrayList<>();
        pool.query("SELECT generation_id FROM outbox WHERE refused_at IS NULL ORDER BY id").execute()
                .await().atMost(WAIT).forEach(r -> ids.add(r.getString("generation_id")));
        return ids;
    }

    private OutboxRelay relay(Broker broker, int batchSize, Refusals refusals) {
        return new OutboxRelay(new OutboxStore(pool), broker, config(batchSize), refusals, new SimpleMeterRegistry());
    }

    private static OutboxConfig config(int batchSize) {
        return new OutboxConfig() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Duration interval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public int batchSize() {
                return batchSize;
            }

            @Override
            public Duration publishTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }

    /** Records the refusals the relay announces. */
    static final class Refusals implements Event<OutboxEventRefused> {
        final List<OutboxEventRefused> fired = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void fire(OutboxEventRefused event) {
            fired.add(event);
        }

        @Override
        public <U extends OutboxEventRefused> CompletionStage<U> fireAsync(U event) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends OutboxEventRefused> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<OutboxEventRefused> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends OutboxEventRefused> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends OutboxEventRefused> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }

    /** Acknowledges or refuses each record as the test says, recording the keys it accepted. */
    static final class Broker implements MutinyEmitter<String> {
        volatile Predicate<String> refuse = payload -> false;
        /** What a refused record fails with: by default a broker that is away (the row is kept). */
        volatile Supplier<RuntimeException> refusal = () -> new IllegalStateException("broker unavailable");
        final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        final List<String> payloads = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger attempts = new AtomicInteger();

        int attempts() {
            return attempts.get();
        }

        @Override
        public <M extends Message<? extends String>> Uni<Void> sendMessage(M message) {
            return Uni.createFrom().deferred(() -> {
                String payload = message.getPayload();
                attempts.incrementAndGet();
                if (refuse.test(payload)) {
                    return Uni.createFrom().failure(refusal.get());
                }
                accepted.add(EventCodec.decode(payload).data().generationId());
                payloads.add(payload);
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
