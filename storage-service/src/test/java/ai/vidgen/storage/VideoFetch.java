package ai.vidgen.storage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs a video from the running service as a player would: with a Range header, following a 307
 * to a presigned URL (S3) with the same Range, and returns the body after checking the status.
 */
final class VideoFetch {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VideoFetch() {
    }

    static byte[] get(String generationId, String range, int expectedStatus) throws Exception {
        return get(generationId, "", range, expectedStatus);
    }

    static byte[] get(String generationId, String suffix, String range, int expectedStatus) throws Exception {
        var request = given().redirects().follow(false);
        if (range != null) {
            request.header("Range", range);
        }
        Response response = request.when().get("/v1/videos/" + generationId + suffix + "?" + Links.video(generationId));
        if (response.statusCode() != 307) {
            assertEquals(expectedStatus, response.statusCode());
            return response.asByteArray();
        }
        URI location = URI.create(response.header("Location"));
        HttpRequest.Builder follow = HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(30)).GET();
        if (range != null) {
            follow.header("Range", range);
        }
        HttpResponse<byte[]> presigned = HTTP.send(follow.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(expectedStatus, presigned.statusCode(), "status from the presigned URL " + location.getHost());
        return presigned.body();
    }
}
