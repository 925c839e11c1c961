package ai.vidgen.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a request, in every service, into {@code application/problem+json},
 * including the ones the framework raises (unknown route, wrong method or media type, unreadable
 * JSON), so clients parse one error format. A service maps its own domain exceptions with its own
 * {@code @ServerExceptionMapper}s (the most specific type wins). Unexpected failures are logged
 * here and answered without internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Problem problem = e.problem();
        return (problem.instance() == null ? problem.withInstance(uri.getPath()) : problem).toResponse(e.headers());
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return malformed(e.getOriginalMessage()).withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 400 && hasJsonCause(e)) {
            return malformed(null).withInstance(uri.getPath()).toResponse();
        }
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
        return Problem.of(status == 404 ? Problem.NOT_FOUND : Problem.type(slug), title, status,
                status == 404 ? "no such resource" : e.getMessage()).withInstance(uri.getPath()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return Problem.of(Problem.INTERNAL, "Internal Server Error", 500,
                "the request failed unexpectedly; it is safe to retry with the same Idempotency-Key")
                .withInstance(uri.getPath()).toResponse();
    }

    private static Problem malformed(String why) {
        return Problem.of(Problem.MALFORMED_BODY, "Malformed request body", 400,
                "the body is not valid JSON" + (why == null ? "" : ": " + why));
    }

    private static boolean hasJsonCause(Throwable e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }
}
