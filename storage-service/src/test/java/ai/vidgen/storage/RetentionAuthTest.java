package ai.vidgen.storage;

import static ai.vidgen.storage.TestEvents.completed;
import static ai.vidgen.storage.TestEvents.newGenerationId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.VideoArchived;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention routes are for operators only ({@code @AdminOnly}): the dry run lists every
 * tenant's generation ids, so without the admin bearer token it answers 401 and shows nothing.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class RetentionAuthTest {

    private static final String DRY_RUN = "/v1/retention/dry-run";

    private static FakeCdn cdn;
    private static TestEvents events;
    /** An archived video, so the dry run with {@code days=0} has something it could leak. */
    private static String archivedId;

    @BeforeAll
    static void archiveOne() throws IOException {
        cdn = FakeCdn.start();
        events = new TestEvents();
        Path clip = TestMedia.clip5s();
        archivedId = newGenerationId();
        cdn.serveFile("/" + archivedId + ".mp4", clip);
        events.publish(completed(archivedId, cdn.url("/" + archivedId + ".mp4"), Files.size(clip)));
        events.awaitOne(archivedId, VideoArchived.class);
    }

    @AfterAll
    static void stop() {
        events.close();
        cdn.close();
    }

    @Test
    void theDryRunWithoutATokenIs401AndListsNothing() {
        assertUnauthorized(given());
    }

    @Test
    void theDryRunWithAWrongTokenIs401() {
        assertUnauthorized(given().header("Authorization", "Bearer not-the-admin-token"));
        assertUnauthorized(given().header("Authorization", "Bearer " + ArchiveSuite.ADMIN_TOKEN + "x"));
        assertUnauthorized(given().header("Authorization", "Bearer "));
    }

    @Test
    void theAdminTokenOnlyCountsAsABearerToken() {
        assertUnauthorized(given().header("Authorization", "Basic " + ArchiveSuite.ADMIN_TOKEN));
        assertUnauthorized(given().header("Authorization", ArchiveSuite.ADMIN_TOKEN));
        assertUnauthorized(given().queryParam("access_token", ArchiveSuite.ADMIN_TOKEN));
    }

    @Test
    void theDryRunWorksWithTheAdminToken() {
        given().header("Authorization", "Bearer " + ArchiveSuite.ADMIN_TOKEN)
                .queryParam("days", 0).queryParam("limit", 10)
                .when().get(DRY_RUN)
                .then().statusCode(200)
                .body("days", equalTo(0))
                .body("count", not(equalTo(0)));

        List<String> all = given().header("Authorization", "Bearer " + ArchiveSuite.ADMIN_TOKEN)
                .queryParam("days", 0).queryParam("limit", 10_000)
                .when().get(DRY_RUN)
                .then().statusCode(200)
                .extract().jsonPath().getList("videos.generationId");
        assertTrue(all.contains(archivedId), all.toString());

        // Validation still answers as before behind the check.
        given().header("Authorization", "Bearer " + ArchiveSuite.ADMIN_TOKEN)
                .queryParam("days", -1)
                .when().get(DRY_RUN)
                .then().statusCode(400);
    }

    private static void assertUnauthorized(RequestSpecification request) {
        ValidatableResponse response = request.queryParam("days", 0).queryParam("limit", 10)
                .when().get(DRY_RUN)
                .then().statusCode(401)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("type", equalTo("urn:vidgen:problem:unauthorized"))
                .body("status", equalTo(401));
        String body = response.extract().asString();
        assertTrue(!body.contains(archivedId) && !body.contains("videos"), body);
    }
}
