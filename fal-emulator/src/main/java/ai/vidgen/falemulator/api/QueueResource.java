package ai.vidgen.falemulator.api;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.CancelResult;
import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.queue.Faults;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import ai.vidgen.falemulator.domain.FieldError;
import ai.vidgen.falemulator.domain.GenerationPlan;
import ai.vidgen.falemulator.domain.KlingInputValidator;
import ai.vidgen.falemulator.domain.QueueCall;
import ai.vidgen.falemulator.domain.QueueRoute;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import ai.vidgen.falemulator.domain.ValidationMode;
import ai.vidgen.falemulator.queue.QueueService;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * fal's queue API on fal's URL shapes: submit on the full endpoint id, status/result/cancel on
 * {@code <app root or endpoint id>/requests/<id>[/status|/cancel|/response]}. The paths are
 * free-form, so the routes are catch-alls that parse the path themselves.
 */
@Path("/")
@RequiresFalKey
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    private static final Object NOT_FOUND = new StatusOnly("NOT_FOUND");
    /** W3C trace context: recorded per request, so tests see which trace each call belonged to. */
    static final String TRACEPARENT = "traceparent";

    private final QueueService queue;
    private final ObjectMapper json;
    private final ValidationMode validationMode;
    private final Optional<String> publicBaseUrl;
    private final Faults faults;
    private final Duration slowAnswerDelay;
    private final RouteFaults routeFaults;
    private final Vertx vertx;

    public QueueResource(QueueService queue, ObjectMapper json, EmulatorConfig config, Faults faults,
                         RouteFaults routeFaults, Vertx vertx) {
        this.queue = queue;
        this.routeFaults = routeFaults;
        this.vertx = vertx;
        this.faults = faults;
        this.slowAnswerDelay = config.slowAnswerDelay();
        this.json = json;
        this.validationMode = config.validationMode();
        this.publicBaseUrl = config.publicBaseUrl().map(URI::toString);
    }

    /**
     * Submit. Runs on a worker thread: the body (up to the HTTP body limit) is parsed and
     * validated here.
     */
    @POST
    @Path("{endpoint: .+}")
    @Consumes(MediaType.WILDCARD)
    public Response submit(@PathParam("endpoint") String endpointId, @QueryParam("fal_webhook") String webhook,
                           @QueryParam("fal_max_queue_length") String maxQueueLength,
                           @HeaderParam("X-Fal-Queue-Priority") String priority,
                           @HeaderParam("X-Fal-Request-Timeout") String requestTimeout,
                           @HeaderParam(TRACEPARENT) String traceparent,
                           @Context UriInfo uri, @Context HttpServerRequest http, byte[] body) {
        Optional<KlingEndpoint> found = KlingEndpoint.byId(stripSlashes(endpointId));
        if (found.isEmpty()) {
            return QueueResponses.withStatus(404, new Detail("Endpoint '%s' not found".formatted(stripSlashes(endpointId))));
        }
        KlingEndpoint endpoint = found.get();
        List<FieldError> headerErrors = new ArrayList<>();
        boolean lowPriority = false;
        if (priority != null && !priority.isBlank()) {
            switch (priority.trim().toLowerCase(Locale.ROOT)) {
                case "normal" -> lowPriority = false;
                case "low" -> lowPriority = true;
                default -> headerErrors.add(FieldError.at(List.of("header", "x-fal-queue-priority"),
                        "value is not a valid enumeration member; permitted: 'normal', 'low'", "type_error.enum", null));
            }
        }
        Optional<Duration> startTimeout = Optional.empty();
        if (requestTimeout != null && !requestTimeout.isBlank()) {
            try {
                double seconds = Double.parseDouble(requestTimeout.trim());
                if (!(seconds > 0.1) || Double.isInfinite(seconds)) {
                    throw new NumberFormatException();
                }
                startTimeout = Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
            } catch (NumberFormatException e) {
                headerErrors.add(FieldError.at(List.of("header", "x-fal-request-timeout"),
                        "ensure this value is greater than 0.1", "value_error.number.not_gt", null));
            }
        }
        Optional<Integer> maxWaiting = Optional.empty();
        if (maxQueueLength != null && !maxQueueLength.isBlank()) {
            try {
                maxWaiting = Optional.of(Integer.parseInt(maxQueueLength.trim())).filter(n -> n >= 0);
            } catch (NumberFormatException e) {
                // handled below
            }
            if (maxWaiting.isEmpty()) {
                headerErrors.add(FieldError.at(List.of("query", "fal_max_queue_length"),
                        "value is not a valid non-negative integer", "type_error.integer", null));
            }
        }
        if (!headerErrors.isEmpty()) {
            return QueueResponses.withStatus(422, new ValidationErrors(headerErrors));
        }
        if (faults.strikes(Fault.SUBMIT_RATE_LIMITED, endpoint.id())) {
            return QueueResponses.withStatus(429, new Detail("Too many requests (injected fault)"));
        }
        if (maxWaiting.isPresent() && queue.queueLongerThan(endpoint, maxWaiting.get())) {
            return QueueResponses.withStatus(429, new Detail(
                    "The queue of '%s' is longer than fal_max_queue_length=%d".formatted(endpoint.id(), maxWaiting.get())));
        }
        Parsed input = parse(body);
        List<FieldError> errors = input.tree() == null ? input.errors() : KlingInputValidator.validate(endpoint, input.tree());
        if (!errors.isEmpty() && validationMode == ValidationMode.SUBMIT) {
            return QueueResponses.withStatus(422, new ValidationErrors(errors));
        }
        Optional<GenerationPlan> plan = errors.isEmpty() ? Optional.of(GenerationPlan.of(endpoint, input.tree())) : Optional.empty();
        Optional<String> webhookUrl = Optional.ofNullable(webhook).filter(url -> !url.isBlank());
        Optional<RequestSnapshot> queued = queue.submit(endpoint, plan, errors, inputKey(endpoint, input),
                webhookUrl, baseUrl(uri), lowPriority, startTimeout);
        if (queued.isEmpty()) {
            return QueueResponses.withStatus(429, new Detail(
                    "The fal emulator is full of unfinished requests; retry after some complete."));
        }
        queue.traced(queued.get().id(), QueueCall.SUBMIT, traceparent);
        if (faults.strikes(Fault.SUBMIT_CONNECTION_RESET, endpoint.id())) {
            // The request exists and will run, but the client never hears of it. reset() closes an
            // HTTP/1.x connection at once (close() would let this response out first); the pause
            // makes sure it is gone before the REST layer tries to write anything.
            http.response().reset();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return QueueResponses.withStatus(500, new Detail("connection reset"));
        }
        if (faults.strikes(Fault.SUBMIT_SLOW, endpoint.id())) {
            try {
                Thread.sleep(slowAnswerDelay.toMillis()); // a worker thread: submit is blocking
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return QueueResponses.submitted(queued.get());
    }

    /**
     * Status and result; in-memory reads only, so they stay on the event loop (clients poll often).
     * A {@code route_timeout} answer is held by a Vert.x timer, never by a thread.
     */
    @GET
    @Path("{path: .+}")
    @NonBlocking
    public Uni<Response> read(@PathParam("path") String path, @QueryParam("logs") String logs,
                              @HeaderParam(TRACEPARENT) String traceparent, @Context HttpServerRequest http) {
        Optional<QueueRoute> route = QueueRoute.parse(path);
        if (route.isEmpty()) {
            return now(QueueResponses.withStatus(404, new Detail("Not Found")));
        }
        QueueRoute.Action action = route.get().action();
        if (action == QueueRoute.Action.CANCEL) {
            return now(methodNotAllowed());
        }
        if (action == QueueRoute.Action.STATUS_STREAM) {
            return now(QueueResponses.withStatus(501, new Detail("The fal emulator does not stream status yet; poll /status")));
        }
        Optional<RequestSnapshot> request = lookup(route.get());
        Optional<RouteFaults.Refusal> refused = routeFaults.refusal(route.get(), request);
        if (refused.isPresent()) {
            return now(refusal(refused.get()));
        }
        return held(routeFaults.hold(route.get(), request), answerRead(request, action, logs, traceparent, http));
    }

    private Response answerRead(Optional<RequestSnapshot> request, QueueRoute.Action action, String logs,
                                String traceparent, HttpServerRequest http) {
        if (request.isEmpty()) {
            return action == QueueRoute.Action.STATUS
                    ? QueueResponses.withStatus(404, NOT_FOUND)
                    : QueueResponses.withStatus(404, new Detail("Request not found"));
        }
        queue.traced(request.get().id(), action == QueueRoute.Action.STATUS ? QueueCall.STATUS : QueueCall.RESULT,
                traceparent);
        String endpointId = request.get().request().endpoint().id();
        Fault reset = action == QueueRoute.Action.STATUS ? Fault.STATUS_CONNECTION_RESET : Fault.RESULT_CONNECTION_RESET;
        if (faults.strikes(reset, endpointId)) {
            // The client sees the connection die without an answer; what is returned is never written.
            http.response().reset();
            return QueueResponses.withStatus(500, new Detail("connection reset"));
        }
        if (action != QueueRoute.Action.STATUS && faults.strikes(Fault.RESULT_UNAVAILABLE, endpointId)) {
            // As a load balancer answers: plain text, no x-fal-request-id, no error type.
            return Response.status(503).type(MediaType.TEXT_PLAIN)
                    .entity("upstream connect error or disconnect/reset before headers").build();
        }
        return action == QueueRoute.Action.STATUS
                ? QueueResponses.status(request.get(), wantsLogs(logs))
                : QueueResponses.result(request.get());
    }

    /**
     * Cancel. Under {@code route_timeout} the cancel takes effect at once and only its answer is
     * held: the client that gave up waiting does not know that fal cancelled.
     */
    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    public Uni<Response> cancel(@PathParam("path") String path, @HeaderParam(TRACEPARENT) String traceparent) {
        Optional<QueueRoute> route = QueueRoute.parse(path);
        if (route.isEmpty()) {
            return now(QueueResponses.withStatus(404, new Detail("Not Found")));
        }
        if (route.get().action() != QueueRoute.Action.CANCEL) {
            return now(methodNotAllowed());
        }
        // A request under another app's path does not exist there.
        Optional<RequestSnapshot> request = lookup(route.get());
        Optional<RouteFaults.Refusal> refused = routeFaults.refusal(route.get(), request);
        if (refused.isPresent()) {
            return now(refusal(refused.get()));
        }
        CancelResult result = request.map(r -> {
            queue.traced(r.id(), QueueCall.CANCEL, traceparent);
            return queue.cancel(r.id());
        }).orElse(CancelResult.NOT_FOUND);
        int code = switch (result) {
            case CANCELLATION_REQUESTED -> 202;
            case ALREADY_COMPLETED -> 400;
            case NOT_FOUND -> 404;
        };
        return held(routeFaults.hold(route.get(), request), Response.status(code).entity(new StatusOnly(result.name()))
                .header(QueueResponses.REQUEST_ID_HEADER, route.get().requestId()).build());
    }

    private static Uni<Response> now(Response response) {
        return Uni.createFrom().item(response);
    }

    /** The answer, at once or after {@code hold} on a timer (the event loop is never blocked). */
    private Uni<Response> held(Optional<Duration> hold, Response response) {
        if (hold.isEmpty()) {
            return now(response);
        }
        long millis = Math.max(1, hold.get().toMillis());
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, id -> emitter.complete(response)));
    }

    private static Response refusal(RouteFaults.Refusal refusal) {
        return Response.status(refusal.status()).type(refusal.contentType()).entity(refusal.body()).build();
    }

    private Optional<RequestSnapshot> lookup(QueueRoute route) {
        return queue.findForClient(route.requestId()).filter(r -> r.request().app().accepts(route.prefix()));
    }

    /** fal's clients send 1/0 (JS, Java) or true/false (Python), or nothing. */
    static boolean wantsLogs(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    private String baseUrl(UriInfo uri) {
        return stripTrailingSlash(publicBaseUrl.orElseGet(() -> uri.getBaseUri().toString()));
    }

    private record Parsed(JsonNode tree, List<FieldError> errors) {
    }

    private Parsed parse(byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                return new Parsed(null, List.of(FieldError.at(List.of("body"), "field required", "value_error.missing", null)));
            }
            return new Parsed(tree, List.of());
        } catch (JacksonException e) {
            return new Parsed(null, List.of(FieldError.at(List.of("body"),
                    "Invalid JSON: " + e.getOriginalMessage(), "value_error.jsondecode", null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint and the input, whitespace-normalised, to spot the same generation submitted twice. */
    private String inputKey(KlingEndpoint endpoint, Parsed input) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(endpoint.id().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(input.tree() == null ? new byte[0] : json.writeValueAsBytes(input.tree()));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response methodNotAllowed() {
        return QueueResponses.withStatus(405, new Detail("Method Not Allowed"));
    }

    private static String stripSlashes(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        return stripTrailingSlash(trimmed);
    }

    private static String stripTrailingSlash(String url) {
        String trimmed = url;
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
