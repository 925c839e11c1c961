package ai.vidgen.dispatcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String pointer, String detail) {
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    public static Problem notFound(String detail) {
        return new Problem("https://vidgen.ai/problems/not-found", "Not found", 404, detail, null);
    }

    public static Problem invalid(String pointer, String detail) {
        return new Problem("https://vidgen.ai/problems/invalid-request", "Invalid request", 400,
                "The request has invalid parameters.", List.of(new FieldError(pointer, detail)));
    }
}
