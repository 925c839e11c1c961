package ai.vidgen.request.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.EventType;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.request.GenerationIntake;
import ai.vidgen.request.domain.GenerationRequestValidator;
import ai.vidgen.request.domain.RequestFingerprint;
import ai.vidgen.request.domain.ValidatedRequest;
import ai.vidgen.request.domain.ValidationResult;
import ai.vidgen.request.persistence.GenerationRepository;
import ai.vidgen.request.persistence.NewGeneration;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay publishes what is in the outbox even when nobody nudges it, which is the situation
 * after a crash between commit and publish, or while Kafka was away: the schedule is the guarantee.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EventLog kafka;

    @Inject
    GenerationRepository generations;

    @BeforeAll
    static void openKafka() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void closeKafka() {
        kafka.close();
    }

    @Test
    void unsentRowsWrittenWithoutANudgeArePublishedVerbatimAndInOrder() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        List<NewGeneration> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rows.add(committedButNeverNudged(tenant, "orphan " + i));
        }
        for (NewGeneration row : rows) {
            ConsumerRecord<String, String> record = kafka.await(row.id(), EventType.REQUESTED.type());
            // Same id, time and data as written at acceptance: a re-publish is recognisably the same fact.
            assertEquals(JSON.readTree(EventCodec.write(row.event())), JSON.readTree(record.value()));
            assertEquals(1, kafka.records(row.id()).size());
        }
    }

    private NewGeneration committedButNeverNudged(String tenant, String prompt) throws Exception {
        ValidatedRequest request = ((ValidationResult.Valid) new GenerationRequestValidator(Clock.systemUTC())
                .validate(JSON.readTree("{\"endpoint_id\":\"fal-ai/kling-video/v3/pro/text-to-video\","
                        + "\"input\":{\"prompt\":\"" + prompt + "\"}}"))).request();
        String id = UUID.randomUUID().toString();
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CloudEvent envelope = new EventCodec(GenerationIntake.EVENT_SOURCE, Clock.fixed(at, ZoneOffset.UTC))
                .envelope(new GenerationRequested(id, tenant, request.spec(), request.input(), "batch", null, at));
        NewGeneration row = new NewGeneration(id, tenant, request, null, RequestFingerprint.of(request), null, at,
                envelope);
        generations.insertAccepted(row).await().atMost(EventLog.WAIT);
        return row;
    }
}
