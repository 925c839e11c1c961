package ai.vidgen.faladapter.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fal cannot be reached at all (nothing listens on the queue URL): the submit never left, so the
 * attempt fails as retryable, and the dispatcher may try again with a new attempt.
 */
@QuarkusTest
@TestProfile(FalUnreachableTest.NothingListens.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class FalUnreachableTest {

    public static class NothingListens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fal.queue-url", "http://127.0.0.1:" + FreePorts.allocate());
        }
    }

    private static Harness harness;

    @BeforeEach
    void harness() {
        if (harness == null) {
            harness = new Harness();
        }
    }

    @AfterAll
    static void close() {
        if (harness != null) {
            harness.close();
            harness = null;
        }
    }

    @Test
    void aSubmitThatCannotConnectFailsAsRetryable() {
        String generationId = Harness.newGenerationId();
        harness.produce(Harness.dispatched(generationId, Harness.validInput(generationId)));

        GenerationFailed failed = await().atMost(Duration.ofSeconds(60))
                .until(() -> harness.first(generationId, GenerationFailed.class).orElse(null), f -> f != null);
        assertEquals("connection_error", failed.errorType());
        assertTrue(failed.retryable());
        assertTrue(harness.eventsOf(generationId, GenerationSubmitted.class).isEmpty());
    }
}
