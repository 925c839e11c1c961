package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asService;
import static org.hamcrest.Matchers.equalTo;

import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class PriceBookTest {

    @ParameterizedTest(name = "{0} {1}s audio={2} voice={3} = {4} micro-dollars")
    @CsvSource({
            // The examples of seed 000, to the micro-dollar.
            "fal-ai/kling-video/v3/pro/text-to-video,           5,  true,  false, 1680000",
            "fal-ai/kling-video/o3/standard/text-to-video,      5,  true,  false, 1120000",
            "fal-ai/kling-video/v3/pro/text-to-video,           15, true,  false, 5040000",
            "fal-ai/kling-video/v3/standard/text-to-video,      5,  true,  false, 1120000",
            // Every priced combination, at one second and at an odd length.
            "fal-ai/kling-video/v3/standard/text-to-video,      1,  false, false, 168000",
            "fal-ai/kling-video/v3/standard/image-to-video,     7,  true,  false, 1568000",
            "fal-ai/kling-video/v3/pro/image-to-video,          1,  false, false, 252000",
            "fal-ai/kling-video/v3/pro/text-to-video,           13, false, false, 3276000",
            "fal-ai/kling-video/v3/standard/motion-control,     10, false, false, 1680000",
            "fal-ai/kling-video/o3/standard/text-to-video,      1,  false, false, 168000",
            "fal-ai/kling-video/o3/standard/reference-to-video, 3,  true,  true,  804000",
            "fal-ai/kling-video/o3/pro/text-to-video,           1,  false, false, 252000",
            "fal-ai/kling-video/o3/pro/image-to-video,          9,  true,  false, 3024000",
            "fal-ai/kling-video/o3/pro/reference-to-video,      15, true,  true,  5880000",
            "fal-ai/kling-video/o3/standard/video-to-video/edit, 11, false, true, 2948000",
            "fal-ai/kling-video/v2.6/pro/text-to-video,         10, false, false, 700000",
            "fal-ai/kling-video/v2.6/pro/text-to-video,         10, true,  false, 1400000",
            "fal-ai/kling-video/v2.5-turbo/pro/text-to-video,   5,  false, false, 350000",
    })
    void pricesEveryCombinationExactly(String endpoint, int seconds, boolean audio, boolean voice, long micros) {
        asService().contentType(ContentType.JSON)
                .body("""
                        {"endpointId":"%s","seconds":%d,"audio":%s,"voiceControl":%s}"""
                        .formatted(endpoint, seconds, audio, voice))
                .when().post("/v1/estimates")
                .then().statusCode(200)
                .body("amountMicros", equalTo((int) micros))
                .body("priceBookVersion", equalTo("2026-02"));
    }

    @ParameterizedTest(name = "{0} audio={1} has no price")
    @CsvSource({
            "fal-ai/kling-video/v2.5-turbo/pro/text-to-video, true",
            "fal-ai/kling-image/o3/text-to-image,             false",
            "fal-ai/some-other/model,                         false",
    })
    void refusesWhatThePriceBookDoesNotPriceInsteadOfChargingZero(String endpoint, boolean audio) {
        asService().contentType(ContentType.JSON)
                .body("""
                        {"endpointId":"%s","seconds":5,"audio":%s,"voiceControl":false}""".formatted(endpoint, audio))
                .when().post("/v1/estimates")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("reason", equalTo("no_price"))
                .body("type", equalTo("urn:vidgen:problem:no-price"));
    }
}
