package ai.vidgen.request.support;

import ai.vidgen.platform.auth.SignedUrls;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * storage-service's routes as request-service uses them, played on {@link BillingStub}'s server:
 * {@code GET /v1/videos/{id}} and {@code GET /v1/inputs/{id}} only with a link signed by the
 * tests' key ({@code %test.vidgen.url-signing.keys}), else 403 like the real service, and
 * {@code POST /v1/inputs?tenant=} only with the service token, else 401. Inputs are kept in memory,
 * named as storage names them (tenant and bytes).
 *
 * <p>{@code POST /stub/storage} with {@code down} makes every upload end with a dropped
 * connection (storage unreachable mid-call), {@code up} heals it; {@code GET /stub/storage}
 * answers the number of uploads that reached the stub.
 */
public final class StorageStub {

    /** The tests' URL-signing key, the same as {@code %test.vidgen.url-signing.keys}. */
    public static final String KEY = "test-k1:test-url-signing-secret-0001";
    public static final SignedUrls URLS = new SignedUrls(List.of(KEY), Clock.systemUTC());

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private record Input(String tenant, String contentType, byte[] bytes) {
    }

    private final Map<String, Input> inputs = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger uploads = new AtomicInteger();

    private StorageStub() {
    }

    static void register(HttpServer server) {
        StorageStub stub = new StorageStub();
        server.createContext("/v1/videos/", stub::video);
        server.createContext("/v1/inputs", stub::inputs);
        server.createContext("/stub/storage", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                stub.down.set("down".equals(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8).trim()));
                respond(exchange, 204, null, null);
            } else {
                respond(exchange, 200, "text/plain", Integer.toString(stub.uploads.get()));
            }
        });
    }

    /** The bytes storage "archived" for a video id: deterministic, so tests can check what they download. */
    public static byte[] videoBytes(String id) {
        byte[] bytes = new byte[100_003];
        int seed = id.hashCode();
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    /** Whether a link's query parameters open {@code object}, as storage-service decides. */
    public static boolean opens(String object, String rawQuery) {
        Map<String, String> q = query(rawQuery);
        return URLS.verify(object, q.get(SignedUrls.TENANT), q.get(SignedUrls.EXPIRES), q.get(SignedUrls.KEY_ID),
                q.get(SignedUrls.SIGNATURE)).valid();
    }

    public static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    /** From a test: storage drops every upload ({@code true}) or stores them again. */
    public static void setDown(String storageUrl, boolean isDown) {
        send(HttpRequest.newBuilder(URI.create(storageUrl + "/stub/storage"))
                .POST(HttpRequest.BodyPublishers.ofString(isDown ? "down" : "up")).build());
    }

    /** From a test: how many uploads reached storage so far. */
    public static int uploads(String storageUrl) {
        return Integer.parseInt(send(HttpRequest.newBuilder(URI.create(storageUrl + "/stub/storage")).GET().build()));
    }

    private void inputs(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/inputs")) {
            upload(exchange);
            return;
        }
        String id = path.substring("/v1/inputs/".length());
        Input input = inputs.get(id);
        if (!opens(SignedUrls.input(id), exchange.getRequestURI().getRawQuery()) || input == null
                || !input.tenant().equals(query(exchange.getRequestURI().getRawQuery()).get(SignedUrls.TENANT))) {
            respond(exchange, 403, "application/problem+json", "{\"type\":\"urn:vidgen:problem:forbidden\",\"status\":403}");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", input.contentType());
        exchange.sendResponseHeaders(200, input.bytes().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(input.bytes());
        }
        exchange.close();
    }

    private void upload(HttpExchange exchange) throws IOException {
        if (down.get()) {
            exchange.close(); // no answer at all: the connection just ends
            return;
        }
        uploads.incrementAndGet();
        if (!("Bearer " + BillingStub.SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "application/problem+json", "{\"type\":\"urn:vidgen:problem:unauthorized\",\"status\":401}");
            return;
        }
        String tenant = query(exchange.getRequestURI().getRawQuery()).get("tenant");
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (type == null || !(type.startsWith("image/") || type.startsWith("video/") || type.startsWith("audio/"))) {
            respond(exchange, 415, "application/problem+json", "{\"type\":\"urn:vidgen:problem:unsupported-media-type\",\"status\":415}");
            return;
        }
        String id = "in-" + sha256(tenant + "\n", bytes);
        boolean created = inputs.putIfAbsent(id, new Input(tenant, type, bytes)) == null;
        respond(exchange, created ? 201 : 200, "application/json", "{\"id\":\"" + id + "\",\"tenantId\":\"" + tenant
                + "\",\"contentType\":\"" + type + "\",\"bytes\":" + bytes.length + ",\"sha256\":\"" + sha256("", bytes) + "\"}");
    }

    /** storage-service's GET /v1/videos/{id}: needs a signed link; honours a single bytes range. */
    private void video(HttpExchange exchange) throws IOException {
        String id = exchange.getRequestURI().getPath().substring("/v1/videos/".length());
        if (!opens(SignedUrls.video(id), exchange.getRequestURI().getRawQuery())) {
            respond(exchange, 403, "application/problem+json", "{\"type\":\"urn:vidgen:problem:forbidden\",\"status\":403}");
            return;
        }
        byte[] all = videoBytes(id);
        String range = exchange.getRequestHeaders().getFirst("Range");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (range != null && range.startsWith("bytes=")) {
            String[] parts = range.substring(6).split("-", -1);
            int start = Integer.parseInt(parts[0]);
            int end = parts[1].isEmpty() ? all.length - 1 : Math.min(Integer.parseInt(parts[1]), all.length - 1);
            if (start >= all.length || start > end) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + all.length);
                respond(exchange, 416, null, null);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + all.length);
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(206, end - start + 1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(all, start, end - start + 1);
            }
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "video/mp4");
        exchange.sendResponseHeaders(200, all.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(all);
        }
        exchange.close();
    }

    private static String sha256(String prefix, byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prefix.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
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
