package ai.vidgen.storage.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes every error as {@code application/problem+json} (see docs/conventions.md). */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final ObjectMapper mapper;

    public ProblemMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .header(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(json(new Problem(Problem.type(e.slug()), e.title(), e.status(), e.getMessage(),
                        uri.getPath())));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (e instanceof jakarta.ws.rs.WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return Response.status(status)
                    .header(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .entity(json(new Problem(Problem.type("http-" + status),
                            Response.Status.fromStatusCode(status) == null ? "Error"
                                    : Response.Status.fromStatusCode(status).getReasonPhrase(),
                            status, null, uri.getPath())))
                    .build();
        }
        LOG.errorf(e, "unexpected failure serving %s", uri.getPath());
        return Response.status(500)
                .header(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .entity(json(new Problem(Problem.type("internal"), "Internal error", 500,
                        "the request could not be completed", uri.getPath())))
                .build();
    }

    // Serialized here rather than by a body writer, so the media type need not be registered with one.
    private String json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
