package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asAdmin;
import static ai.vidgen.billing.Callers.asService;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class AdminAndUsageApiTest {

    private final EventCodec codec = new EventCodec("/vidgen/test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aNewPriceBookVersionPricesWhatIsAcceptedFromItsDateAndNeverChangesAnExistingOne() {
        String version = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String body = """
                {"version":"%s","effectiveFrom":"2099-01-01T00:00:00Z","source":"test",
                 "rates":[{"modelFamily":"V3","tier":"STANDARD","audioMode":"ON","microsPerSecond":300000}]}"""
                .formatted(version);
        given().contentType(ContentType.JSON).body(body).post("/v1/price-books").then().statusCode(401);
        asAdmin().contentType(ContentType.JSON).body(body).post("/v1/price-books")
                .then().statusCode(201).body("version", equalTo(version)).body("rates", hasSize(1));
        // Never modified: the same name again is a conflict, whatever its rates.
        asAdmin().contentType(ContentType.JSON)
                .body(body.replace("2099-01-01", "2099-02-01").replace("300000", "1"))
                .post("/v1/price-books").then().statusCode(409).body("reason", equalTo("version_exists"))
                .body("type", equalTo("urn:vidgen:problem:version-exists"));
        asAdmin().get("/v1/price-books").then().statusCode(200)
                .body("version", hasItem("2026-02")).body("version", hasItem(version))
                .body("find { it.version == '2026-02' }.rates", hasSize(15));

        // Accepted before the new version: the shipped price; after: the new one. V3 standard with
        // audio is in the new version; V3 pro is not, so it has no price there (refused, not zero).
        assertThat(reserve("2098-12-31T23:59:59Z", "fal-ai/kling-video/v3/standard/text-to-video").extract()
                .jsonPath().getLong("amountMicros")).isEqualTo(5 * 224_000L);
        assertThat(reserve("2099-01-01T00:00:00Z", "fal-ai/kling-video/v3/standard/text-to-video").extract()
                .jsonPath().getLong("amountMicros")).isEqualTo(5 * 300_000L);
        reserve("2099-01-02T00:00:00Z", "fal-ai/kling-video/v3/pro/text-to-video").statusCode(422)
                .body("reason", equalTo("no_price"));
    }

    @Test
    void anInvalidPriceBookIsRefusedWithEveryReason() {
        asAdmin().contentType(ContentType.JSON)
                .body("""
                        {"version":"","effectiveFrom":"2020-01-01T00:00:00Z","source":"x",
                         "rates":[{"modelFamily":"V9","tier":"PRO","audioMode":"ON","microsPerSecond":0},
                                  {"modelFamily":"V3","tier":"PRO","audioMode":"LOUD","microsPerSecond":5}]}""")
                .post("/v1/price-books").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:invalid-request")).body("reason", equalTo("invalid_request"))
                .body("errors.pointer", hasItem("/version")).body("errors.pointer", hasItem("/effectiveFrom"))
                .body("errors.pointer", hasItem("/rates/0/modelFamily"))
                .body("errors.pointer", hasItem("/rates/0/microsPerSecond"))
                .body("errors.pointer", hasItem("/rates/1/audioMode"));
    }

    @Test
    void correctionsAreAppendedOncePerIdAndUsageAddsThemUp() throws Exception {
        String tenant = "usage-" + UUID.randomUUID();
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        GenerationSpec v3 = new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 5, true, false);
        GenerationSpec o3 = new GenerationSpec("fal-ai/kling-video/o3/standard/reference-to-video", 10, true, true);
        asService().contentType(ContentType.JSON).body(Map.of("generationId", a, "tenantId", tenant, "spec", v3))
                .post("/v1/reservations").then().statusCode(200);
        asService().contentType(ContentType.JSON).body(Map.of("generationId", b, "tenantId", tenant, "spec", o3))
                .post("/v1/reservations").then().statusCode(200);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            for (var event : List.of(
                    new GenerationCompleted(a, tenant, v3, 1, "r", "http://x", "video/mp4", 1L, 1000L),
                    new GenerationCompleted(b, tenant, o3, 1, "r", "http://x", "video/mp4", 1L, 1000L),
                    new VideoArchived(a, tenant, "k", "s3://b/a", "video/mp4", 1, "00", 5_000, 1280, 720, true),
                    new VideoArchived(b, tenant, "k", "s3://b/b", "video/mp4", 1, "00", 10_000, 1280, 720, true))) {
                kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                        .awaitCompletion();
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin().queryParam("tenantId", tenant)
                .get("/v1/usage").then().statusCode(200).body("totalChargedMicros", equalTo(1_680_000 + 2_680_000)));

        String correction = """
                {"correctionId":"%s","generationId":"%s","amountMicros":-180000,"reason":"goodwill"}"""
                .formatted(UUID.randomUUID(), a);
        given().contentType(ContentType.JSON).body(correction).post("/v1/ledger/corrections").then().statusCode(401);
        asAdmin().contentType(ContentType.JSON).body(correction)
                .post("/v1/ledger/corrections").then().statusCode(201).body("kind", equalTo("CORRECTION"))
                .body("amountMicros", equalTo(-180000)).body("modelFamily", equalTo("V3"));
        // A retry corrects nothing more.
        asAdmin().contentType(ContentType.JSON).body(correction)
                .post("/v1/ledger/corrections").then().statusCode(200);
        asAdmin().contentType(ContentType.JSON)
                .body(correction.replace("-180000", "-1")).post("/v1/ledger/corrections").then().statusCode(409);
        asAdmin().contentType(ContentType.JSON)
                .body(correction.replace(a, "nope")).post("/v1/ledger/corrections").then().statusCode(404);
        asAdmin().queryParam("generationId", a).get("/v1/ledger").then().statusCode(200)
                .body("kind", equalTo(List.of("RESERVE", "SETTLE", "CORRECTION")))
                .body("find { it.kind == 'SETTLE' }.amountMicros", equalTo(1_680_000));

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        asAdmin().queryParam("tenantId", tenant).queryParam("groupBy", "model_family,tier,audio,voice_control,endpoint,day")
                .get("/v1/usage").then().statusCode(200)
                .body("totalChargedMicros", equalTo(1_500_000 + 2_680_000)).body("totalCharged", equalTo("4.18"))
                .body("totalBilledSeconds", equalTo(15))
                .body("groups", hasSize(2))
                .body("groups.find { it.group.model_family == 'V3' }.chargedMicros", equalTo(1_500_000))
                .body("groups.find { it.group.model_family == 'V3' }.correctionsMicros", equalTo(-180_000))
                .body("groups.find { it.group.model_family == 'O3' }.group.voice_control", equalTo(true))
                .body("groups.find { it.group.model_family == 'O3' }.group.day", equalTo(today));

        String csv = asAdmin().queryParam("tenantId", tenant).queryParam("groupBy", "model_family,tier")
                .header("Accept", "text/csv").get("/v1/usage").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv.split("\r\n")).containsExactly(
                "model_family,tier,charged_micros,charged_usd,billed_seconds,generations,corrections_micros",
                "O3,STANDARD,2680000,2.68,10,1,0",
                "V3,PRO,1500000,1.50,5,1,-180000");
        assertThat(asAdmin().queryParam("tenantId", tenant).queryParam("format", "csv").get("/v1/usage")
                .then().statusCode(200).extract().asString()).startsWith("charged_micros,charged_usd");
        asAdmin().queryParam("tenantId", tenant).queryParam("from", "2000-01-01").queryParam("to", "2000-01-02")
                .get("/v1/usage").then().statusCode(200).body("totalChargedMicros", equalTo(0));
        asAdmin().queryParam("groupBy", "colour").get("/v1/usage").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/groupBy"));
    }

    private io.restassured.response.ValidatableResponse reserve(String acceptedAt, String endpoint) {
        return asService().contentType(ContentType.JSON)
                .body("""
                        {"generationId":"%s","tenantId":"pb-test","acceptedAt":"%s",
                         "spec":{"endpointId":"%s","seconds":5,"audio":true,"voiceControl":false}}"""
                        .formatted(UUID.randomUUID(), acceptedAt, endpoint))
                .post("/v1/reservations").then();
    }
}
