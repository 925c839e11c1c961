package ai.vidgen.request.support;

import ai.vidgen.testsupport.infra.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * billing-service's {@code POST /v1/estimates}, stood up on a free port for the tests with the
 * fal prices of February 2026: Kling V3/O3 standard $0.168/s silent, $0.224/s with audio,
 * $0.268/s with voice control; pro $0.252 / $0.336 / $0.392; Kling 2.x $0.07/s, $0.14/s with audio.
 * An endpoint named through {@code POST /stub/unpriced} has no price (422 {@code no_price}), like
 * a price book that does not list it.
 *
 * <p>Like billing's real route (the platform's {@code @ServiceOnly}), {@code /v1/estimates} answers
 * 401 problem+json unless the call carries {@code Authorization: Bearer <SERVICE_TOKEN>}, the
 * tests' {@code %test.vidgen.auth.service-tokens}: every test that sees an estimate proves the
 * service sends its token.
 *
 * <p>The same server plays storage-service's routes ({@link StorageStub}).
 *
 * <p>The stub runs in the test JVM's class loader, the tests in Quarkus's, so they steer it over
 * HTTP: {@code POST /stub/mode} with {@code up} or {@code down} (503), {@code GET /stub/calls}.
 */
public class BillingStub implements QuarkusTestResourceLifecycleManager {

    /** The service token of the tests ({@code %test.vidgen.auth.service-tokens} in application.properties). */
    public static final String SERVICE_TOKEN = "test-service-token";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private HttpServer server;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger calls = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<String> unpriced = new java.util.concurrent.atomic.AtomicReference<>("");

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.allocate()), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the billing stub", e);
        }
        server.createContext("/v1/estimates", this::estimate);
        server.createContext("/stub/mode", exchange -> {
            down.set("down".equals(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim()));
            respond(exchange, 204, null, null);
        });
        StorageStub.register(server);
        server.createContext("/stub/unpriced", exchange -> {
            unpriced.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim());
            respond(exchange, 204, null, null);
        });
        server.createContext("/stub/calls", exchange -> respond(exchange, 200, "text/plain", Integer.toString(calls.get())));
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        // The same server plays storage-service (StorageStub): signed videos and inputs, uploads.
        return Map.of("quarkus.rest-client.billing.url", url, "request.storage-public-url", url,
                "quarkus.rest-client.storage.url", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void estimate(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vidgen\"");
            respond(exchange, 401, "application/problem+json", "{\"type\":\"urn:vidgen:problem:unauthorized\","
                    + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"this route needs Authorization: "
                    + "Bearer <service bearer token>\"}");
            return;
        }
        if (down.get()) {
            respond(exchange, 503, "text/plain", "maintenance");
            return;
        }
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String endpoint = request.path("endpointId").asText();
        int seconds = request.path("seconds").asInt();
        boolean audio = request.path("audio").asBoolean();
        boolean voice = request.path("voiceControl").asBoolean();
        if (endpoint.equals(unpriced.get())) {
            respond(exchange, 422, "application/problem+json", "{\"type\":\"urn:vidgen:problem:no-price\","
                    + "\"title\":\"No price\",\"status\":422,\"reason\":\"no_price\",\"detail\":\"the price book "
                    + "2026-02 has no price for " + endpoint + "\"}");
            return;
        }
        boolean pro = endpoint.contains("/pro/") || endpoint.contains("kling-image");
        boolean v2 = endpoint.contains("/v2.");
        long rate = v2 ? (audio ? 140_000 : 70_000) : pro ? (voice ? 392_000 : audio ? 336_000 : 252_000) : (voice ? 268_000 : audio ? 224_000 : 168_000);
        respond(exchange, 200, "application/json", "{\"amountMicros\":" + rate * seconds + ",\"rateMicrosPerSecond\":"
                + rate + ",\"seconds\":" + seconds + ",\"priceBookVersion\":\"2026-02\"}");
    }

    /** The bytes storage "archived" for a video id (see {@link StorageStub}). */
    public static byte[] videoBytes(String id) {
        return StorageStub.videoBytes(id);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** From a test: makes billing answer 503 ({@code true}) or price again ({@code false}). */
    public static void setDown(String billingUrl, boolean isDown) {
        send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/mode"))
                .POST(HttpRequest.BodyPublishers.ofString(isDown ? "down" : "up")).build());
    }

    /** From a test: billing has no price for {@code endpointId} (empty: prices everything again). */
    public static void setUnpriced(String billingUrl, String endpointId) {
        send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/unpriced"))
                .POST(HttpRequest.BodyPublishers.ofString(endpointId)).build());
    }

    /** From a test: how many estimates billing was asked for so far. */
    public static int calls(String billingUrl) {
        return Integer.parseInt(send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/calls")).GET().build()));
    }

    private static String send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
