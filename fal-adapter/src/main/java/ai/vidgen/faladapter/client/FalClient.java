package ai.vidgen.faladapter.client;

import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.domain.FalEndpointId;
import ai.vidgen.faladapter.domain.FalErrorClassifier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLHandshakeException;
import org.jboss.logging.Logger;

/**
 * The only code that speaks HTTP to fal. Every call is non-blocking, is timed (metric
 * {@code fal.adapter.fal.call} by operation and outcome), and ends in an outcome value instead
 * of an exception, so callers decide with a switch.
 *
 * <p>The key is sent only to the configured queue origin: a status or response URL that points
 * elsewhere is replaced by the one the app-id rule builds on the queue URL.
 */
@ApplicationScoped
public class FalClient {

    private static final Logger LOG = Logger.getLogger(FalClient.class);

    private final FalConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final FalQueueApi submitApi;
    private final FalQueueApi statusApi;
    private final FalQueueApi resultApi;
    private final String queueUrl;
    private final URI queueOrigin;

    public FalClient(FalConfig config, ObjectMapper mapper, MeterRegistry registry) {
        this.config = config;
        this.mapper = mapper;
        this.registry = registry;
        String base = config.queueUrl().toString();
        this.queueUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.queueOrigin = origin(config.queueUrl());
        this.submitApi = build(config.timeout().submit());
        this.statusApi = build(config.timeout().status());
        this.resultApi = build(config.timeout().result());
    }

    private FalQueueApi build(Duration readTimeout) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(queueUrl))
                .connectTimeout(config.timeout().connect().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .followRedirects(false)
                .build(FalQueueApi.class);
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** Submits {@code input} as is to {@code POST {queue-url}/{endpointId}}, without a webhook. */
    public Uni<SubmitOutcome> submit(String endpointId, String priority, ObjectNode input) {
        return submit(endpointId, priority, input, null);
    }

    /**
     * Submits {@code input} as is to {@code POST {queue-url}/{endpointId}[?fal_webhook=...]}.
     *
     * @param webhookUrl fal calls it when the request completes; null for none
     */
    public Uni<SubmitOutcome> submit(String endpointId, String priority, ObjectNode input, String webhookUrl) {
        FalEndpointId endpoint = FalEndpointId.parse(endpointId);
        String startTimeout = config.startTimeout()
                .map(t -> Double.toString(t.toMillis() / 1000.0)).orElse(null);
        return timed("submit", config.timeout().submit(), () -> submitApi.submit(endpoint.id(), webhookUrl,
                authorization(), priority, startTimeout, config.userAgent(), input),
                this::submitOutcome, this::submitFailure);
    }

    private SubmitOutcome submitOutcome(Response response) {
        try (response) {
            int status = response.getStatus();
            String raw = body(response);
            JsonNode json = parse(raw);
            if (status >= 200 && status < 300) {
                String requestId = json == null ? null : text(json, "request_id");
                if (requestId == null) {
                    return new SubmitOutcome.NoAnswer("HTTP " + status + " without a request_id");
                }
                return new SubmitOutcome.Accepted(requestId, text(json, "status_url"), text(json, "response_url"),
                        text(json, "cancel_url"), integer(json, "queue_position"));
            }
            if (FalErrorClassifier.isUserStartTimeout(status, response.getHeaderString("X-Fal-Request-Timeout-Type"))) {
                return new SubmitOutcome.Rejected(FalErrorClassifier.startTimeout(status));
            }
            return new SubmitOutcome.Rejected(FalErrorClassifier.fromHttp(status, json, raw,
                    response.getHeaderString("X-Fal-Error-Type"), response.getHeaderString("X-Fal-Retryable")));
        }
    }

    private SubmitOutcome submitFailure(Throwable failure) {
        String reason = describe(failure);
        if (neverSent(failure)) {
            return new SubmitOutcome.NotSent(reason);
        }
        return new SubmitOutcome.NoAnswer(reason);
    }

    /** Polls the status of a request; {@code statusUrl} may be null (then the app-id rule builds it). */
    public Uni<StatusOutcome> status(String endpointId, String requestId, String statusUrl) {
        String url = trusted(statusUrl) ? statusUrl
                : FalEndpointId.parse(endpointId).statusUrl(queueUrl, requestId);
        return timed("status", config.timeout().status(), () -> statusApi.status(url,
                config.poll().logs() ? "1" : "0", authorization(), config.userAgent()),
                this::statusOutcome, f -> new StatusOutcome.Unavailable(0, describe(f)));
    }

    private StatusOutcome statusOutcome(Response response) {
        try (response) {
            int status = response.getStatus();
            String raw = body(response);
            JsonNode json = parse(raw);
            if (status != 200 && status != 202) {
                return new StatusOutcome.Unavailable(status, "status answered HTTP " + status);
            }
            String falStatus = json == null ? null : text(json, "status");
            if (falStatus == null) {
                return new StatusOutcome.Unavailable(status, "status answer without a status field");
            }
            List<String> logs = logs(json.get("logs"));
            return switch (falStatus) {
                case "IN_QUEUE" -> new StatusOutcome.Queued(integer(json, "queue_position"), logs);
                case "IN_PROGRESS" -> new StatusOutcome.Running(logs);
                case "COMPLETED" -> new StatusOutcome.Completed(inferenceMillis(json), text(json, "error_type"),
                        text(json, "error"), logs);
                default -> new StatusOutcome.Unavailable(status, "unknown fal status " + falStatus);
            };
        }
    }

    /** Asks fal to cancel a request; {@code cancelUrl} may be null (then the app-id rule builds it). */
    public Uni<CancelOutcome> cancel(String endpointId, String requestId, String cancelUrl) {
        String url = trusted(cancelUrl) ? cancelUrl
                : FalEndpointId.parse(endpointId).cancelUrl(queueUrl, requestId);
        return timed("cancel", config.timeout().status(), () -> statusApi.cancel(url, authorization(),
                config.userAgent()), this::cancelOutcome, f -> new CancelOutcome.Unavailable(0, describe(f)));
    }

    private CancelOutcome cancelOutcome(Response response) {
        try (response) {
            int status = response.getStatus();
            JsonNode json = parse(body(response));
            String falStatus = json == null ? null : text(json, "status");
            if (status >= 200 && status < 300) {
                return new CancelOutcome.Requested();
            }
            if (status == 400 && (falStatus == null || "ALREADY_COMPLETED".equals(falStatus))) {
                return new CancelOutcome.AlreadyCompleted();
            }
            if (status == 404) {
                return new CancelOutcome.Unavailable(404, "fal does not know the request");
            }
            return new CancelOutcome.Unavailable(status, "cancel answered HTTP " + status);
        }
    }

    /** Fetches the result of a COMPLETED request; {@code responseUrl} may be null. */
    public Uni<ResultOutcome> result(String endpointId, String requestId, String responseUrl) {
        String url = trusted(responseUrl) ? responseUrl
                : FalEndpointId.parse(endpointId).responseUrl(queueUrl, requestId);
        return timed("result", config.timeout().result(), () -> resultApi.result(url, authorization(),
                config.userAgent()), this::resultOutcome, f -> new ResultOutcome.Unavailable(0, describe(f)));
    }

    private ResultOutcome resultOutcome(Response response) {
        try (response) {
            int status = response.getStatus();
            String raw = body(response);
            JsonNode json = parse(raw);
            if (status >= 200 && status < 300) {
                if (json == null || !json.isObject()) {
                    return new ResultOutcome.Unavailable(status, "result is not a JSON object");
                }
                return output(json);
            }
            String errorTypeHeader = response.getHeaderString("X-Fal-Error-Type");
            if (FalErrorClassifier.isUserStartTimeout(status, response.getHeaderString("X-Fal-Request-Timeout-Type"))) {
                return new ResultOutcome.Failed(FalErrorClassifier.startTimeout(status));
            }
            if (isFalErrorAnswer(status, json, errorTypeHeader, response.getHeaderString("x-fal-request-id"))) {
                return new ResultOutcome.Failed(FalErrorClassifier.fromHttp(status, json, raw, errorTypeHeader,
                        response.getHeaderString("X-Fal-Retryable")));
            }
            return new ResultOutcome.Unavailable(status, "result answered HTTP " + status);
        }
    }

    /**
     * Whether an error answer of the result endpoint is the request's own (replayed) failure,
     * rather than trouble fetching it: 422 always is; 401/403/404/408/429 and "still in progress"
     * never are; others are when fal labelled them (an error type, a detail list, or a detail
     * string from fal itself, which carries {@code x-fal-request-id}, unlike an ingress error).
     */
    static boolean isFalErrorAnswer(int status, JsonNode json, String errorTypeHeader, String requestIdHeader) {
        if (status == 422) {
            return true;
        }
        if (status == 401 || status == 403 || status == 404 || status == 408 || status == 429) {
            return false;
        }
        JsonNode detail = json == null ? null : json.get("detail");
        if (status == 400 && detail != null && detail.isTextual()
                && detail.textValue().toLowerCase(Locale.ROOT).contains("in progress")) {
            return false;
        }
        if (errorTypeHeader != null && !errorTypeHeader.isBlank()) {
            return true;
        }
        if (json == null) {
            return false;
        }
        if (json.hasNonNull("error_type") || (detail != null && detail.isArray())) {
            return true;
        }
        return detail != null && requestIdHeader != null && !requestIdHeader.isBlank();
    }

    private static ResultOutcome.Output output(JsonNode json) {
        JsonNode media = json.get("video");
        if (media == null || !media.isObject()) {
            media = json.get("image");
        }
        if ((media == null || !media.isObject()) && json.path("images").isArray() && !json.path("images").isEmpty()) {
            media = json.path("images").get(0);
        }
        if (media == null || !media.isObject()) {
            return new ResultOutcome.Output(null, null, null, null);
        }
        JsonNode size = media.get("file_size");
        return new ResultOutcome.Output(text(media, "url"), text(media, "content_type"),
                size != null && size.canConvertToLong() ? size.longValue() : null, text(media, "file_name"));
    }

    /** Whether a URL fal gave us is on the configured queue origin, so it may receive the key. */
    boolean trusted(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            return queueOrigin.equals(origin(URI.create(url)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static URI origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + host + ":" + port);
    }

    private String authorization() {
        return "Key " + config.key().get();
    }

    /**
     * One call to fal, timed (metric by operation and outcome): an answer within the connect
     * timeout plus {@code readTimeout} (and a margin, should the client's own timeouts not fire)
     * becomes {@code answer}'s outcome; no answer, or a failure, becomes {@code noAnswer}'s.
     */
    private <T extends FalCallOutcome> Uni<T> timed(String operation, Duration readTimeout,
            Supplier<Uni<Response>> call, Function<Response, T> answer, Function<Throwable, T> noAnswer) {
        Timer.Sample sample = Timer.start(registry);
        Duration guard = config.timeout().connect().plus(readTimeout).plusSeconds(2);
        return Uni.createFrom().deferred(call::get)
                .ifNoItem().after(guard).failWith(() -> new TimeoutException("no " + operation + " answer within "
                        + guard))
                .map(answer)
                .onFailure().recoverWithItem(noAnswer)
                .invoke(outcome -> sample.stop(timer(operation, outcome.metricTag())));
    }

    private Timer timer(String operation, String outcome) {
        return Timer.builder("fal.adapter.fal.call")
                .description("Latency of calls to fal's queue API")
                .tag("operation", operation)
                .tag("outcome", outcome)
                .publishPercentileHistogram(false)
                .register(registry);
    }

    /** True when the failure happened before a request could reach fal. */
    static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A failure description without anything from the request (the key is only in a header). */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String body(Response response) {
        if (!response.hasEntity()) {
            return null;
        }
        try {
            return response.readEntity(String.class);
        } catch (RuntimeException e) {
            LOG.debugf("cannot read fal answer body: %s", e.getMessage());
            return null;
        }
    }

    private JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(raw);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isTextual() && !node.textValue().isBlank() ? node.textValue() : null;
    }

    private static Integer integer(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.canConvertToInt() ? node.intValue() : null;
    }

    private static Long inferenceMillis(JsonNode json) {
        JsonNode seconds = json.path("metrics").get("inference_time");
        return seconds != null && seconds.isNumber() ? Math.round(seconds.doubleValue() * 1000) : null;
    }

    private static List<String> logs(JsonNode logs) {
        if (logs == null || !logs.isArray()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode entry : logs) {
            String message = entry.isTextual() ? entry.textValue() : text(entry, "message");
            lines.add(Objects.requireNonNullElse(message, ""));
        }
        return lines;
    }
}
