package ai.vidgen.request.api;

import ai.vidgen.platform.problem.ProblemMappers;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A multipart body sent without a length (chunked) is counted while the REST layer parses it, and
 * refused there with a bare 413: answered with the same problem as a declared length over the
 * limit ({@link BodySizeLimit}), so that clients meet one type for one condition. Every other
 * framework failure is the platform's to answer.
 */
public class PayloadTooLargeMapper {

    private final ProblemMappers platform = new ProblemMappers();
    private final BodySizeLimit limit;

    public PayloadTooLargeMapper(BodySizeLimit limit) {
        this.limit = limit;
    }

    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response map(WebApplicationException e, UriInfo uri) {
        if (e.getResponse().getStatus() == 413) {
            return limit.problem("the request body is larger than that", uri.getPath()).toResponse();
        }
        return platform.framework(e, uri);
    }
}
