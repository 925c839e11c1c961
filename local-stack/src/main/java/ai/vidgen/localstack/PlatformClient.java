package ai.vidgen.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the platform's public HTTP API, as a user's program would call it. */
public final class PlatformClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    // HTTP/1.1: the JDK client's default h2c upgrade has been seen to stall on larger admin
    // responses, and no service here needs HTTP/2.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String requestServiceUrl;
    private final String tenant;
    private final String adminToken;

    /**
     * @param adminToken presented on the admin views of the other services ({@link #getJson},
     *                   {@link #putJson}, {@link #delete})
     */
    public PlatformClient(String requestServiceUrl, String tenant, String adminToken) {
        this.requestServiceUrl = requestServiceUrl;
        this.tenant = tenant;
        this.adminToken = adminToken;
    }

    /** A 5 s Kling V3 standard text-to-video with audio: $0.224/s × 5 s = $1.12. */
    public static String sampleRequest() {
        return """
                {"endpoint_id": "fal-ai/kling-video/v3/standard/text-to-video",
                 "input": {"prompt": "A red fox trots across fresh snow at sunrise, cinematic tracking shot",
                           "duration": "5", "generate_audio": true}}""";
    }

    /** Submits a generation and returns the accepted body (202). */
    public JsonNode submit(String body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(requestServiceUrl + "/v1/generations"))
                .header("Content-Type", "application/json")
                .header("X-Tenant-Id", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("submission refused with " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** A submission's answer, whatever it was: the caller decides what a refusal means. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            return parse(body);
        }
    }

    /**
     * Submits a generation under an Idempotency-Key, so the same call can be repeated after a lost
     * answer without creating a second generation; throws only when no answer came.
     */
    public Answer submit(String body, String idempotencyKey) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(requestServiceUrl + "/v1/generations"))
                .header("Content-Type", "application/json")
                .header("X-Tenant-Id", tenant)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return new Answer(response.statusCode(), response.body());
    }

    /** Asks to cancel a generation; answers the HTTP status (202 when the request was taken). */
    public int cancel(String id) {
        return send(HttpRequest.newBuilder(URI.create(requestServiceUrl + "/v1/generations/" + id + "/cancel"))
                .header("X-Tenant-Id", tenant).POST(HttpRequest.BodyPublishers.noBody())).statusCode();
    }

    /** PUTs a JSON document to any admin endpoint of the platform (the emulator's fault rules). */
    public void putJson(String url, String body) {
        HttpResponse<String> response = send(admin(url)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** DELETEs any admin resource of the platform (resets of the emulator). */
    public void delete(String url) {
        HttpResponse<String> response = send(admin(url).DELETE());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("DELETE " + url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    public JsonNode generation(String id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(requestServiceUrl + "/v1/generations/" + id)).header("X-Tenant-Id", tenant).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET generation answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** GETs any JSON document of the platform (admin views of the other services). */
    public JsonNode getJson(String url) {
        HttpResponse<String> response = send(admin(url).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    private HttpRequest.Builder admin(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + adminToken);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
