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
import java.util.List;
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
 * <p>It also plays billing's tenant reads, behind the same service token: {@code GET /v1/usage},
 * {@code GET /v1/budgets/{tenantId}} and {@code GET /v1/ledger}, answered from ledger rows and
 * budgets the tests register ({@link #addAccounts}). Like the real routes they answer whatever
 * tenant or generation they are asked for (usage without {@code tenantId} covers every tenant):
 * keeping a tenant to its own data is the front door's job, and the tests prove it does.
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
    private final List<JsonNode> ledgerRows = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Long> budgets = new java.util.concurrent.ConcurrentHashMap<>();
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
        server.createContext("/v1/usage", exchange -> {
            if (authorized(exchange) && available(exchange)) {
                usage(exchange);
            }
        });
        server.createContext("/v1/budgets/", exchange -> {
            if (authorized(exchange) && available(exchange)) {
                budget(exchange);
            }
        });
        server.createContext("/v1/ledger", exchange -> {
            if (authorized(exchange) && available(exchange)) {
                ledger(exchange);
            }
        });
        server.createContext("/stub/accounts", exchange -> {
            JsonNode accounts = JSON.readTree(exchange.getRequestBody());
            accounts.path("ledger").forEach(ledgerRows::add);
            accounts.path("budgets").fields().forEachRemaining(e -> budgets.put(e.getKey(), e.getValue().asLong()));
            respond(exchange, 204, null, null);
        });
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
        if (!authorized(exchange)) {
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

    /** Answers 401 (and false) unless the call carries the service token, as billing's {@code @ServiceOnly} routes do. */
    private static boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vidgen\"");
        respond(exchange, 401, "application/problem+json", "{\"type\":\"urn:vidgen:problem:unauthorized\","
                + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"this route needs Authorization: "
                + "Bearer <service bearer token>\"}");
        return false;
    }

    /** Answers 503 (and false) while the stub is down ({@link #setDown}). */
    private boolean available(HttpExchange exchange) throws IOException {
        if (down.get()) {
            respond(exchange, 503, "text/plain", "maintenance");
            return false;
        }
        return true;
    }

    /**
     * Billing's usage report over the registered rows: settlements and corrections of the tenant
     * (every tenant without {@code tenantId}), from inclusive, to exclusive; groupBy {@code tenant}
     * or nothing. JSON, or CSV on {@code Accept: text/csv}. An unparsable {@code from} is billing's 400.
     */
    private void usage(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange);
        String tenant = query.get("tenantId");
        java.time.Instant from;
        try {
            from = query.containsKey("from") ? java.time.Instant.parse(query.get("from")) : java.time.Instant.EPOCH;
        } catch (java.time.format.DateTimeParseException e) {
            respond(exchange, 400, "application/problem+json", "{\"type\":\"urn:vidgen:problem:invalid-request\","
                    + "\"title\":\"Invalid request\",\"status\":400,\"detail\":\"1 invalid field\",\"reason\":"
                    + "\"invalid_request\",\"errors\":[{\"pointer\":\"/from\",\"detail\":\"an ISO instant or date\"}]}");
            return;
        }
        java.time.Instant to = query.containsKey("to") ? java.time.Instant.parse(query.get("to")) : java.time.Instant.MAX;
        boolean byTenant = "tenant".equals(query.get("groupBy"));
        Map<String, long[]> sums = new java.util.TreeMap<>();
        for (JsonNode row : ledgerRows) {
            java.time.Instant at = java.time.Instant.parse(row.path("createdAt").asText());
            String kind = row.path("kind").asText();
            if ((tenant == null || tenant.equals(row.path("tenantId").asText())) && !at.isBefore(from) && at.isBefore(to)
                    && (kind.equals("SETTLE") || kind.equals("CORRECTION"))) {
                long[] sum = sums.computeIfAbsent(byTenant ? row.path("tenantId").asText() : "", k -> new long[3]);
                sum[0] += row.path("amountMicros").asLong();
                sum[1] += kind.equals("SETTLE") ? row.path("seconds").asLong() : 0;
                sum[2] += kind.equals("SETTLE") ? 1 : 0;
            }
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("text/csv")) {
            StringBuilder csv = new StringBuilder(byTenant ? "tenant," : "")
                    .append("charged_micros,charged_usd,billed_seconds,generations,corrections_micros\r\n");
            sums.forEach((group, sum) -> csv.append(byTenant ? group + "," : "").append(sum[0]).append(',')
                    .append(ai.vidgen.platform.money.Money.format(sum[0])).append(',').append(sum[1]).append(',')
                    .append(sum[2]).append(",0\r\n"));
            respond(exchange, 200, "text/csv", csv.toString());
            return;
        }
        var body = JSON.createObjectNode();
        body.put("tenantId", tenant);
        var groupBy = body.putArray("groupBy");
        if (byTenant) {
            groupBy.add("tenant");
        }
        var groups = body.putArray("groups");
        long total = 0;
        long seconds = 0;
        for (Map.Entry<String, long[]> e : sums.entrySet()) {
            var group = groups.addObject();
            var values = group.putObject("group");
            if (byTenant) {
                values.put("tenant", e.getKey());
            }
            group.put("chargedMicros", e.getValue()[0]).put("billedSeconds", e.getValue()[1])
                    .put("generations", e.getValue()[2]).put("correctionsMicros", 0);
            total += e.getValue()[0];
            seconds += e.getValue()[1];
        }
        body.put("totalChargedMicros", total).put("totalBilledSeconds", seconds);
        respond(exchange, 200, "application/json", body.toString());
    }

    /** The tenant's budget this month: the registered limit (none: unlimited), committed = its settlements. */
    private void budget(HttpExchange exchange) throws IOException {
        String tenant = exchange.getRequestURI().getPath().substring("/v1/budgets/".length());
        long committed = 0;
        for (JsonNode row : ledgerRows) {
            if (tenant.equals(row.path("tenantId").asText()) && row.path("kind").asText().equals("SETTLE")) {
                committed += row.path("amountMicros").asLong();
            }
        }
        Long limit = budgets.get(tenant);
        var body = JSON.createObjectNode().put("tenantId", tenant).put("committedMicros", committed)
                .put("periodStart", "2026-03-01T00:00:00Z");
        if (limit == null) {
            body.putNull("limitMicros").putNull("remainingMicros");
        } else {
            body.put("limitMicros", limit).put("remainingMicros", Math.max(0, limit - committed));
        }
        respond(exchange, 200, "application/json", body.toString());
    }

    /** The registered rows of {@code generationId} (whoever's), or of {@code tenantId}, at most {@code limit}. */
    private void ledger(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange);
        var rows = JSON.createArrayNode();
        int limit = Integer.parseInt(query.getOrDefault("limit", "500"));
        for (JsonNode row : ledgerRows) {
            boolean match = query.containsKey("generationId") ? query.get("generationId").equals(row.path("generationId").asText())
                    : query.containsKey("tenantId") && query.get("tenantId").equals(row.path("tenantId").asText());
            if (match && rows.size() < limit) {
                rows.add(row);
            }
        }
        respond(exchange, 200, "application/json", rows.toString());
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new java.util.HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
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

    /** From a test: makes billing answer 503 ({@code true}) or answer again ({@code false}). */
    public static void setDown(String billingUrl, boolean isDown) {
        send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/mode"))
                .POST(HttpRequest.BodyPublishers.ofString(isDown ? "down" : "up")).build());
    }

    /** From a test: billing has no price for {@code endpointId} (empty: prices everything again). */
    public static void setUnpriced(String billingUrl, String endpointId) {
        send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/unpriced"))
                .POST(HttpRequest.BodyPublishers.ofString(endpointId)).build());
    }

    /**
     * From a test: adds billing data, {@code {"ledger": [billing's ledger rows], "budgets": {"tenant": limitMicros}}}.
     */
    public static void addAccounts(String billingUrl, String accounts) {
        send(HttpRequest.newBuilder(URI.create(billingUrl + "/stub/accounts"))
                .POST(HttpRequest.BodyPublishers.ofString(accounts)).build());
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
