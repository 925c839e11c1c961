package ai.vidgen.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.storage.objectstore.ObjectStore;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Inputs that requests carried inline: uploaded by request-service with its service token,
 * stored once per tenant and content, read back only through a signed link.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class InputApiTest {

    private static final String SERVICE_TOKEN = "test-service-token";

    @Inject
    ObjectStore store;

    @Inject
    DataSource dataSource;

    private static byte[] image(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        bytes[0] = (byte) 0x89; // a PNG's first bytes; only the Content-Type matters here
        bytes[1] = 'P';
        return bytes;
    }

    private static RequestSpecification asService() {
        return given().header("Authorization", "Bearer " + SERVICE_TOKEN);
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void uploadingNeedsTheServiceToken() {
        byte[] bytes = image(1000);
        String tenant = tenant();
        for (RequestSpecification caller : new RequestSpecification[] {given(),
                given().header("Authorization", "Bearer not-the-service-token"),
                given().header("X-Tenant-Id", tenant)}) {
            caller.queryParam("tenant", tenant).contentType("image/png").body(bytes)
                    .when().post("/v1/inputs")
                    .then().statusCode(401)
                    .header("Content-Type", startsWith("application/problem+json"))
                    .body("type", equalTo("urn:vidgen:problem:unauthorized"));
        }
        assertEquals(0, rows(tenant), "nothing recorded");
    }

    @Test
    void anUploadIsStoredOnceAndServedThroughASignedLink() throws Exception {
        byte[] bytes = image(200_000);
        String tenant = tenant();

        String id = asService().queryParam("tenant", tenant).contentType("image/png").body(bytes)
                .when().post("/v1/inputs")
                .then().statusCode(201)
                .body("tenantId", equalTo(tenant))
                .body("contentType", equalTo("image/png"))
                .body("bytes", equalTo(bytes.length))
                .body("sha256", equalTo(sha256(bytes)))
                .extract().path("id");
        assertTrue(id.matches("in-[0-9a-f]{64}"), id);
        assertTrue(store.size("inputs/" + tenant + "/" + id).isPresent(), "the object is in the store");

        // A retried upload names the same input and stores nothing new.
        asService().queryParam("tenant", tenant).contentType("image/png").body(bytes)
                .when().post("/v1/inputs")
                .then().statusCode(200).body("id", equalTo(id));
        assertEquals(1, rows(tenant));
        // The same bytes for another tenant are another input.
        String other = tenant();
        String otherId = asService().queryParam("tenant", other).contentType("image/png").body(bytes)
                .when().post("/v1/inputs").then().statusCode(201).extract().path("id");
        assertNotEquals(id, otherId);

        byte[] served = given().when().get("/v1/inputs/" + id + "?" + Links.input(id, tenant))
                .then().statusCode(200)
                .header("Content-Type", startsWith("image/png"))
                .header("ETag", "\"" + sha256(bytes) + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .extract().asByteArray();
        assertArrayEquals(bytes, served);
        byte[] part = given().header("Range", "bytes=100-199")
                .when().get("/v1/inputs/" + id + "?" + Links.input(id, tenant))
                .then().statusCode(206).header("Content-Range", "bytes 100-199/" + bytes.length)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(bytes, 100, 200), part);

        // Without a link, with another tenant's link, or a video's link of the same id: 403.
        for (String query : new String[] {"", "?" + Links.input(id, other), "?" + Links.video(id, tenant)}) {
            given().header("X-Tenant-Id", tenant).when().get("/v1/inputs/" + id + query)
                    .then().statusCode(403).body("type", equalTo("urn:vidgen:problem:forbidden"));
        }
        // The service token reads nothing either: reading is by link only.
        asService().when().get("/v1/inputs/" + id).then().statusCode(403);
    }

    @Test
    void onlyMediaUpToTheLimitIsAccepted() {
        String tenant = tenant();
        asService().queryParam("tenant", tenant).contentType("text/html").body("<script>alert(1)</script>")
                .when().post("/v1/inputs")
                .then().statusCode(415).body("type", equalTo("urn:vidgen:problem:unsupported-media-type"));
        asService().queryParam("tenant", tenant).contentType("image/svg+xml").body("<svg/>")
                .when().post("/v1/inputs").then().statusCode(415);
        // %test.storage.inputs.max-bytes is 1 MiB.
        asService().queryParam("tenant", tenant).contentType("video/mp4").body(image(1024 * 1024 + 1))
                .when().post("/v1/inputs")
                .then().statusCode(413).body("type", equalTo("urn:vidgen:problem:input-too-large"));
        asService().queryParam("tenant", "../etc").contentType("image/png").body(image(10))
                .when().post("/v1/inputs").then().statusCode(400);
        assertEquals(0, rows(tenant));
        asService().queryParam("tenant", tenant).contentType("video/mp4; codecs=avc1").body(image(1024 * 1024))
                .when().post("/v1/inputs")
                .then().statusCode(201).body("contentType", equalTo("video/mp4"));
    }

    private int rows(String tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from inputs where tenant_id = ?")) {
            s.setString(1, tenant);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
