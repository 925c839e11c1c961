package ai.vidgen.localstack;

import static ai.vidgen.localstack.PlatformService.BILLING;
import static ai.vidgen.localstack.PlatformService.DISPATCHER;
import static ai.vidgen.localstack.PlatformService.FAL_EMULATOR;
import static ai.vidgen.localstack.PlatformService.REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Admission control across the real services: the global fal limit held by two dispatcher
 * replicas through a crash, and the deadline, cancel-before-dispatch, retry and draft paths, each
 * checked in billing's ledger and at the fal emulator. Each test uses endpoints of its own, so
 * what the emulator saw can be attributed to it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionIT {

    static final int GLOBAL_LIMIT = 4;
    static final String V3_STANDARD = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String V3_PRO = "fal-ai/kling-video/v3/pro/text-to-video";
    static final String O3_STANDARD = "fal-ai/kling-video/o3/standard/text-to-video";
    static final String O3_PRO = "fal-ai/kling-video/o3/pro/text-to-video";
    static final String V2_6_PRO = "fal-ai/kling-video/v2.6/pro/text-to-video";
    static final String V2_5_TURBO = "fal-ai/kling-video/v2.5-turbo/pro/text-to-video";

    static RunningStack running;
    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        // Renders take 8 s, so four fillers hold every slot long enough for a deadline (2 s) or
        // a cancel to land while a generation waits, even on a loaded machine; the emulator's own account limit (10) is
        // above ours, so only our admission control keeps fal at 4.
        running = RunningStack.start("it-admission", Duration.ofSeconds(8), settings -> settings
                .withEnvironment(DISPATCHER, Map.of(
                        "DISPATCHER_MAX_IN_FLIGHT", Integer.toString(GLOBAL_LIMIT),
                        "DISPATCHER_RETRY_INITIAL_BACKOFF", "2s",
                        "DISPATCHER_RETRY_MAX_BACKOFF", "4s"))
                .withEnvironment(FAL_EMULATOR, Map.of("EMULATOR_CONCURRENCY", "10"))
                // fal_lost after 10 status 404s in a row: about 20 s at this interval instead of 100 s.
                .withEnvironment(PlatformService.FAL_ADAPTER, Map.of("FAL_POLL_MAX_INTERVAL", "2s")));
        stack = running.stack();
    }

    @AfterAll
    static void stopStack() {
        if (running != null) {
            running.close();
        }
    }

    @AfterEach
    void falNeverRanMoreThanTheGlobalLimit() {
        JsonNode stats = client("any").getJson(stack.url(FAL_EMULATOR) + "/_emulator/stats");
        assertThat(stats.path("peak_in_progress").asInt()).as("most requests of ours IN_PROGRESS at fal at once")
                .isLessThanOrEqualTo(GLOBAL_LIMIT);
    }

    @Test
    @Order(1)
    void twoReplicasAndACrashNeverExceedTheLimitNorDispatchTwice() {
        stack.startReplica(DISPATCHER, "dispatcher-service-2");
        PlatformClient client = client("replicas");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(client.submit(request(V3_STANDARD, "replica shot " + i, "")).path("id").asText());
        }
        // Crash one replica while generations are in flight and others still wait.
        await().atMost(Duration.ofMinutes(1)).until(() -> countInStatus(client, ids, "completed") >= 2);
        stack.crashAndRestart(DISPATCHER);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> countInStatus(client, ids, "completed") == ids.size());
        assertThat(falRequests(V3_STANDARD)).as("one fal submission per generation").hasSize(ids.size());
        assertThat(stats().path("peak_in_progress").asInt()).as("the limit was used, not just respected")
                .isEqualTo(GLOBAL_LIMIT);
        // The status turns completed on VideoArchived, the event billing settles on: await the row.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : ids) {
                assertThat(ledgerKinds(client, id)).containsExactly("RESERVE", "SETTLE");
            }
        });
    }

    @Test
    @Order(2)
    void aGenerationNotStartedByItsDeadlineIsAbortedAndNeverBilled() {
        PlatformClient client = client("deadline");
        List<String> fillers = fillAllSlots(client, "deadline filler");
        String deadline = Instant.now().plusSeconds(2).toString();
        String id = client.submit(request(O3_STANDARD, "too late", ",\"deadline\":\"" + deadline + "\""))
                .path("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, id).equals("cancelled"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ledgerKinds(client, id)).containsExactly("RESERVE", "RELEASE"));
        assertThat(falRequests(O3_STANDARD)).as("fal never saw it").isEmpty();
        awaitEnded(client, fillers);
    }

    @Test
    @Order(3)
    void aCancelBeforeDispatchLeavesTheQueueAndReleasesTheReservation() {
        PlatformClient client = client("cancel");
        List<String> fillers = fillAllSlots(client, "cancel filler");
        String id = client.submit(request(O3_PRO, "never mind", "")).path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerKinds(client, id).contains("RESERVE"));

        assertThat(client.cancel(id)).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> status(client, id).equals("cancelled"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ledgerKinds(client, id)).containsExactly("RESERVE", "RELEASE"));
        assertThat(falRequests(O3_PRO)).as("fal never saw it").isEmpty();
        awaitEnded(client, fillers);
    }

    @Test
    @Order(4)
    void aTransientFalFailureIsRetriedAndChargedOnce() {
        PlatformClient client = client("retry");
        client.putJson(stack.url(FAL_EMULATOR) + "/_emulator/faults",
                "[{\"fault\":\"internal_error\",\"rate\":1.0,\"endpoint\":\"" + V2_5_TURBO + "\"}]");
        String id = client.submit(request(V2_5_TURBO, "second time lucky", "")).path("id").asText();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> falRequests(V2_5_TURBO).stream().anyMatch(r -> "failed".equals(r.path("outcome").asText())));
        } finally {
            client.delete(stack.url(FAL_EMULATOR) + "/_emulator/faults");
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> status(client, id).equals("completed"));
        List<JsonNode> attempts = falRequests(V2_5_TURBO);
        assertThat(attempts).extracting(r -> r.path("outcome").asText()).containsExactly("failed", "succeeded");
        JsonNode ledger = settledLedger(client, id);
        assertThat(ledger.get(1).path("amountMicros").asLong()).isEqualTo(ledger.get(0).path("amountMicros").asLong());
    }

    @Test
    @Order(5)
    void aDraftRunsOnTheCheapestCompatibleModelAndIsChargedAtItsPrice() {
        PlatformClient client = client("draft");
        // Without audio: Kling 2.5 turbo generates none, so only a silent draft can run there.
        String id = client.submit("""
                {"endpoint_id": "%s", "draft": true,
                 "input": {"prompt": "a quick look", "duration": "5", "generate_audio": false}}"""
                .formatted(V3_STANDARD)).path("id").asText();

        await().atMost(Duration.ofSeconds(90)).until(() -> status(client, id).equals("completed"));
        // Kling 2.6 pro and 2.5 turbo pro both cost $0.07/s without audio; 2.6 wins the tie.
        assertThat(client.generation(id).path("ran_on").asText()).isEqualTo(V2_6_PRO);
        assertThat(falRequests(V2_6_PRO)).hasSize(1);
        JsonNode ledger = settledLedger(client, id);
        // Seed 000: $0.07/s, so 5 s cost $0.35, well under V3 standard's $0.84.
        assertThat(ledger.get(1).path("amountMicros").asLong()).isEqualTo(350_000L);
    }

    @Test
    @Order(6)
    void rendersFalForgotNeverHoldTheSlots() {
        PlatformClient client = client("lost");
        String emulator = stack.url(FAL_EMULATOR);
        // Every slot goes to a request fal keeps in its queue; then fal forgets them all, as it
        // does once its retention passes (or a restarted emulator does).
        client.putJson(emulator + "/_emulator/faults", "[{\"fault\":\"queue_stalled\",\"rate\":1.0}]");
        List<String> lost = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        try {
            for (int i = 0; i < GLOBAL_LIMIT; i++) {
                lost.add(client.submit(request(V3_PRO, "forgotten " + i, "")).path("id").asText());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> countInStatus(client, lost, "in_progress") == GLOBAL_LIMIT);
            for (int i = 0; i < 3; i++) {
                waiting.add(client.submit(request(O3_PRO, "behind the lost ones " + i, "")).path("id").asText());
            }
            assertThat(countInStatus(client, waiting, "queued")).as("no slot is free").isEqualTo(3);
            client.delete(emulator + "/_emulator/requests");
        } finally {
            client.delete(emulator + "/_emulator/faults");
        }

        // They never started at fal, so each is retried as a new attempt; the slots are free again.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                countInStatus(client, lost, "completed") + countInStatus(client, waiting, "completed") == 7);
        assertThat(falRequests(V3_PRO)).as("one new submission per lost generation").hasSize(GLOBAL_LIMIT)
                .allSatisfy(r -> assertThat(r.path("submissions").asInt()).isEqualTo(1));
        for (String id : lost) {
            JsonNode ledger = settledLedger(client, id);
            assertThat(ledger.get(1).path("amountMicros").asLong()).as("charged once, as reserved")
                    .isEqualTo(ledger.get(0).path("amountMicros").asLong());
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    /** Four generations that hold every slot for one render (about 8 s). */
    private List<String> fillAllSlots(PlatformClient client, String prompt) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GLOBAL_LIMIT; i++) {
            ids.add(client.submit(request(V3_PRO, prompt + " " + i, "")).path("id").asText());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream()
                .allMatch(id -> List.of("in_progress", "completed").contains(status(client, id))));
        return ids;
    }

    private void awaitEnded(PlatformClient client, List<String> ids) {
        await().atMost(Duration.ofSeconds(90)).until(() -> countInStatus(client, ids, "completed") == ids.size());
    }

    private static String request(String endpoint, String prompt, String options) {
        return """
                {"endpoint_id": "%s", "input": {"prompt": "%s", "duration": "5"}%s}"""
                .formatted(endpoint, prompt, options);
    }

    private static PlatformClient client(String tenant) {
        return new PlatformClient(stack.url(REQUEST), tenant, stack.adminToken());
    }

    private static String status(PlatformClient client, String id) {
        return client.generation(id).path("status").asText();
    }

    private static long countInStatus(PlatformClient client, List<String> ids, String status) {
        return ids.stream().filter(id -> status(client, id).equals(status)).count();
    }

    private static JsonNode stats() {
        return client("any").getJson(stack.url(FAL_EMULATOR) + "/_emulator/stats");
    }

    private static List<JsonNode> falRequests(String endpoint) {
        List<JsonNode> matching = new ArrayList<>();
        client("any").getJson(stack.url(FAL_EMULATOR) + "/_emulator/requests").forEach(r -> {
            if (r.path("endpoint").asText().equals(endpoint)) {
                matching.add(r);
            }
        });
        matching.sort(java.util.Comparator.comparing(r -> r.path("created_at").asText()));
        return matching;
    }

    /** The ledger once billing settled: it settles on VideoArchived, which also completes the status. */
    private static JsonNode settledLedger(PlatformClient client, String id) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ledgerKinds(client, id)).containsExactly("RESERVE", "SETTLE"));
        return ledger(client, id);
    }

    private static JsonNode ledger(PlatformClient client, String id) {
        return client.getJson(stack.url(BILLING) + "/v1/ledger?generationId=" + id);
    }

    private static List<String> ledgerKinds(PlatformClient client, String id) {
        List<String> kinds = new ArrayList<>();
        ledger(client, id).forEach(e -> kinds.add(e.path("kind").asText()));
        return kinds;
    }
}
