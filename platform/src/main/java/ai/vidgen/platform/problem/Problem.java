package ai.vidgen.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error answer of every service
 * ({@code application/problem+json}).
 *
 * @param type   {@code urn:vidgen:problem:<slug>}; clients branch on it, not on {@code title}
 * @param errors for validation problems, every violation with a JSON Pointer into the body
 * @param reason a stable machine code callers branch on ({@code budget_exceeded}, {@code no_price})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<ProblemError> errors, String reason) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** The one scheme of problem types across the platform. */
    public static final String PREFIX = "urn:vidgen:problem:";

    public static final String INVALID_REQUEST = type("invalid-request");
    public static final String MALFORMED_BODY = type("malformed-body");
    public static final String INVALID_HEADER = type("invalid-header");
    public static final String NOT_FOUND = type("not-found");
    public static final String UNAUTHORIZED = type("unauthorized");
    public static final String FORBIDDEN = type("forbidden");
    public static final String INTERNAL = type("internal");

    /** The type URI of a problem slug, e.g. {@code budget-exceeded}. */
    public static String type(String slug) {
        return PREFIX + slug;
    }

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem(type, title, status, detail, null, null, null);
    }

    public Problem withErrors(List<ProblemError> list) {
        return new Problem(type, title, status, detail, instance, list, reason);
    }

    public Problem withReason(String machineReason) {
        return new Problem(type, title, status, detail, instance, errors, machineReason);
    }

    public Problem withInstance(String uri) {
        return new Problem(type, title, status, detail, uri, errors, reason);
    }

    public Response toResponse() {
        return toResponse(Map.of());
    }

    /** The answer, with extra headers (e.g. {@code Content-Range} on a 416). */
    public Response toResponse(Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"vidgen\"");
        }
        headers.forEach(response::header);
        return response.build();
    }

    /**
     * One violation. {@code pointer} locates it in the JSON body; {@code parameter} names the
     * query parameter or header when it is not in the body.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemError(String pointer, String parameter, String detail) {

        public static ProblemError at(String pointer, String detail) {
            return new ProblemError(pointer, null, detail);
        }

        public static ProblemError parameter(String name, String detail) {
            return new ProblemError(null, name, detail);
        }
    }
}
