package ai.vidgen.request.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.urlpolicy.ReplaceableHostResolver;
import ai.vidgen.testsupport.net.LoopbackServer;
import ai.vidgen.request.urlpolicy.RebindingResolver;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where callbacks connect: only to an address checked for that very attempt. The receivers are
 * servers on 127.0.0.1 counting every connection.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class WebhookAddressTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    ReplaceableHostResolver resolver;

    @AfterEach
    void restoreDns() {
        resolver.restore();
    }

    @Test
    void aCallbackHostThatRebindsToLoopbackIsNeverConnectedTo() {
        try (LoopbackServer receiver = LoopbackServer.answering(204)) {
            // Public on the first attempt's lookup, loopback from then on.
            RebindingResolver dns = new RebindingResolver("localhost", 1);
            resolver.use(dns);
            String id = queue("https://localhost:" + receiver.port() + "/hook");

            // request.webhooks.max-attempts is 4 in the tests.
            await().atMost(WAIT).until(() -> "failed".equals(delivery(id).getString("state")));

            assertEquals(0, receiver.connections(), "no attempt reached the loopback receiver");
            assertEquals(4, dns.lookups(), "one lookup per attempt");
            assertEquals("refused by the URL policy: host localhost resolves to 127.0.0.1, a loopback address",
                    delivery(id).getString("last_error"));
        }
    }

    @Test
    void aRedirectFromTheReceiverIsNotFollowed() {
        try (LoopbackServer target = LoopbackServer.answering(204);
                LoopbackServer receiver = LoopbackServer.answering(307,
                        "Location: http://127.0.0.1:" + target.port() + "/elsewhere")) {
            String id = queue("http://127.0.0.1:" + receiver.port() + "/hook");

            await().atMost(WAIT).until(() -> delivery(id).getInteger("attempts") >= 1);

            Row row = delivery(id);
            assertEquals(307, row.getInteger("last_status"));
            assertEquals("the receiver answered 307", row.getString("last_error"));
            assertTrue(receiver.connections() >= 1);
            assertEquals(0, target.connections(), "the Location was not followed");
        }
    }

    /** A due delivery, as the fold queues one. */
    private String queue(String url) {
        String id = "msg_addr_" + UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO webhook_deliveries (id, generation_id, tenant_id, url, event_type, payload, next_attempt_at)
                        VALUES ($1, $2, $3, $4, 'generation.completed', '{"type":"generation.completed"}', now())""")
                .execute(Tuple.of(id, UUID.randomUUID().toString(), "wh-addr-" + UUID.randomUUID(), url))
                .await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private Row delivery(String id) {
        return pool.preparedQuery("SELECT state, attempts, last_status, last_error FROM webhook_deliveries WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next();
    }
}
