package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Weighted fair sharing across tenants under a small global limit (2, the capacity tests'
 * application). The test plays fal: it completes every generation it sees dispatched.
 */
@QuarkusTest
@TestProfile(MaxInFlightTwo.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class FairSharingTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    BillingStub billing;

    TestEvents events;

    @BeforeEach
    void watch() {
        events = new TestEvents();
        await().atMost(PATIENCE).until(() -> view(null).getLong("inFlight") == 0);
    }

    @AfterEach
    void stopWatching() {
        events.close();
    }

    @Test
    void aSmallTenantStartsBeforeABigTenantsBacklogDrains() {
        String big = TestEvents.newId("big");
        String small = TestEvents.newId("small");
        billing.script(big, Answer.ACCEPT);
        billing.script(small, Answer.ACCEPT);
        List<String> bigIds = IntStream.range(0, 500).mapToObj(i -> TestEvents.newId("big" + i)).toList();
        List<String> smallIds = IntStream.range(0, 10).mapToObj(i -> TestEvents.newId("small" + i)).toList();

        events.publishAll(TestEvents.REQUEST_SERVICE, requests(bigIds, big));
        // The big tenant fills both slots and the rest of its 500 wait, all reserved.
        await().atMost(PATIENCE).until(() -> view(big).getList("queued").size() == 498);
        events.publishAll(TestEvents.REQUEST_SERVICE, requests(smallIds, small));
        await().atMost(PATIENCE).until(() -> view(small).getList("queued").size() == 10);

        // Per-tenant gauges show both backlogs (refreshed by the periodic pass).
        await().atMost(PATIENCE).until(() -> metrics().contains(
                "dispatcher_tenant_queue_depth{priority=\"interactive\",tenant=\"" + big + "\"} 498.0"));
        assertTrue(metrics().contains("dispatcher_tenant_in_flight{tenant=\"" + big + "\"} 2.0"));

        // Play fal until every generation of the small tenant has started.
        Set<String> completed = new HashSet<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<GenerationDispatched> seen = dispatchedOf(Set.of(big, small));
            for (GenerationDispatched d : seen) {
                if (completed.add(d.generationId())) {
                    events.publish(TestEvents.FAL_ADAPTER, completed(d));
                }
            }
            return seen.stream().filter(d -> d.tenantId().equals(small)).count() == smallIds.size();
        });

        // The order of GenerationDispatched on the topic: the small tenant's ten started while
        // the big tenant had started only about as many (turns alternate at equal load).
        List<String> order = dispatchedOf(Set.of(big, small)).stream().map(GenerationDispatched::tenantId).toList();
        int lastSmall = order.lastIndexOf(small);
        long bigBeforeLastSmall = order.subList(0, lastSmall).stream().filter(big::equals).count();
        assertTrue(bigBeforeLastSmall <= 2 + smallIds.size() + 2, "dispatch order: " + order);
        assertTrue(view(big).getList("queued").size() >= 480, "the big tenant's backlog is still there");
        for (String id : smallIds) {
            assertEquals(1, events.of(id, GenerationDispatched.class).size(), id);
        }
        assertTrue(metrics().contains("dispatcher_queue_wait_seconds_count{priority=\"interactive\",tenant=\""
                + small + "\"} 10.0"), "queue wait of the small tenant");

        // Clean up for the other tests of this application: cancel the backlog, finish what runs.
        events.publishAll(TestEvents.REQUEST_SERVICE, bigIds.stream()
                .map(id -> new GenerationCancelRequested(id, big, "test over", Instant.now())).toList());
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (GenerationDispatched d : dispatchedOf(Set.of(big, small))) {
                if (completed.add(d.generationId())) {
                    events.publish(TestEvents.FAL_ADAPTER, completed(d));
                }
            }
            return view(null).getLong("inFlight") == 0 && view(big).getList("queued").isEmpty();
        });
    }

    private List<GenerationDispatched> dispatchedOf(Set<String> tenants) {
        return events.all(GenerationDispatched.class).stream().filter(d -> tenants.contains(d.tenantId())).toList();
    }

    private static List<GenerationRequested> requests(List<String> ids, String tenant) {
        return ids.stream().map(id -> TestEvents.requested(id, tenant, "interactive")).toList();
    }

    private static GenerationCompleted completed(GenerationDispatched d) {
        return new GenerationCompleted(d.generationId(), d.tenantId(), null, d.attempt(), "fal-" + d.generationId(),
                "https://v3.fal.media/files/" + d.generationId() + ".mp4", "video/mp4", 1_234_567L, 42_000L);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static JsonPath view(String tenant) {
        var request = asOperator().queryParam("limit", 1000);
        if (tenant != null) {
            request = request.queryParam("tenantId", tenant);
        }
        return request.get("/v1/queue").then().statusCode(200).extract().jsonPath();
    }
}
