package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.domain.QueueRoute;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import ai.vidgen.falemulator.queue.Faults;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * The faults of what stands in front of fal's queue on the status, result, cancel and
 * status-stream calls: the rate limiter (429), the ingress (nginx's 500 page) and an answer held
 * past the client's timeout. Each call rolls on its own; the request is unaffected. They strike
 * before the queue looks the id up, so an unknown id can get them too.
 */
@ApplicationScoped
public class RouteFaults {

    /** An answer that never reached the queue: no {@code x-fal-request-id}. */
    public record Refusal(int status, String contentType, String body) {
    }

    /** fal's gateway answers a throttled call with its plain error body; the shape is not documented. */
    static final Refusal RATE_LIMITED = new Refusal(429, "application/json",
            "{\"detail\":\"Too many requests: rate limit exceeded. Retry later.\"}");
    /**
     * nginx's own error page: fal's Python client tells an ingress error from fal's by the missing
     * {@code x-fal-request-id} and "nginx" in the body.
     */
    static final Refusal INGRESS_ERROR = new Refusal(500, "text/html",
            "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
                    + "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n"
                    + "</body>\r\n</html>\r\n");

    private final Faults faults;
    private final Duration timeoutDelay;

    public RouteFaults(Faults faults, EmulatorConfig config) {
        this.faults = faults;
        this.timeoutDelay = config.routeTimeoutDelay();
    }

    /** The rate limiter's or the ingress's answer, when one of them strikes this call. */
    public Optional<Refusal> refusal(QueueRoute route, Optional<RequestSnapshot> request) {
        String endpointId = endpointOf(route, request);
        if (faults.strikes(Fault.ROUTE_RATE_LIMITED, endpointId)) {
            return Optional.of(RATE_LIMITED);
        }
        if (faults.strikes(Fault.ROUTE_SERVER_ERROR, endpointId)) {
            return Optional.of(INGRESS_ERROR);
        }
        return Optional.empty();
    }

    /** How long this call's answer is held back, when {@code route_timeout} strikes it. */
    public Optional<Duration> hold(QueueRoute route, Optional<RequestSnapshot> request) {
        return faults.strikes(Fault.ROUTE_TIMEOUT, endpointOf(route, request))
                ? Optional.of(timeoutDelay) : Optional.empty();
    }

    /** The request's endpoint; for an unknown id the path's prefix, which may be an endpoint id. */
    private static String endpointOf(QueueRoute route, Optional<RequestSnapshot> request) {
        return request.map(r -> r.request().endpoint().id()).orElse(route.prefix());
    }
}
