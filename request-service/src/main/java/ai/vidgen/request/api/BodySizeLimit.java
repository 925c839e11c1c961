package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.request.config.RequestConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Refuses a request body over {@code request.limits.max-body-size} with 413 problem+json before
 * any of it is read: JSON and multipart alike (an {@code input_reference} upload included). The
 * limit leaves room for a 3 MB image inlined as a base64 data: URI; larger media belongs behind an
 * https URL.
 *
 * <p>A declared {@code Content-Length} is judged here, ahead of Quarkus's own check of the same
 * limit ({@code quarkus.http.limits.max-body-size}, aligned with this one), which would answer
 * with an empty body. A chunked body has no length to judge up front: Quarkus counts it as it
 * arrives: a multipart one that overflows is refused by the REST layer's parser with the same
 * problem ({@link PayloadTooLargeMapper}); a JSON one is cut off by the REST layer's input stream,
 * which answers a bare 413 (no body) and closes the connection.
 */
@ApplicationScoped
public class BodySizeLimit {

    static final String TYPE = Problem.type("payload-too-large");
    /** Before Quarkus's own body-size route (order -2). */
    private static final int ORDER = -3;
    /** The longest a refused body is read (and dropped) before the connection is closed anyway. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(BodySizeLimit.class);

    private final long maxBytes;
    private final ObjectMapper json;

    public BodySizeLimit(RequestConfig config, ObjectMapper json) {
        this.maxBytes = config.limits().maxBodySize().asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::checkDeclaredLength);
    }

    private void checkDeclaredLength(RoutingContext ctx) {
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && length(declared) > maxBytes) {
            refuse(ctx, "the request body is " + declared.trim() + " bytes");
            return;
        }
        ctx.next();
    }

    /**
     * Answers at once and closes the connection: the body is never parsed. What the client is
     * still sending is read and dropped until it is done (or {@link #DRAIN_LIMIT} has passed), so
     * that it reads the answer instead of a connection reset by a close with unread data.
     */
    private void refuse(RoutingContext ctx, String what) {
        Problem problem = problem(what, ctx.request().path());
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        response.setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close");
        response.end(body(problem));
        if (request.isEnded()) {
            request.connection().close();
            return;
        }
        long timer = ctx.vertx().setTimer(DRAIN_LIMIT.toMillis(), t -> request.connection().close());
        request.handler(ignored -> {
        });
        request.endHandler(ended -> {
            ctx.vertx().cancelTimer(timer);
            request.connection().close();
        });
        request.exceptionHandler(failure -> ctx.vertx().cancelTimer(timer));
        request.resume();
    }

    /** The one answer to a body over the limit, wherever it is noticed. */
    Problem problem(String what, String path) {
        return Problem.of(TYPE, "Payload too large", 413, what + "; at most " + maxBytes
                + " bytes are accepted. Send large media as an https URL rather than inline")
                .withReason("body_too_large").withInstance(path);
    }

    private String body(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            LOG.errorf(e, "cannot write the 413 problem");
            return "{\"type\":\"" + TYPE + "\",\"status\":413}";
        }
    }

    /** An unparseable length counts as too large: no sane client sends one. */
    private static long length(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
