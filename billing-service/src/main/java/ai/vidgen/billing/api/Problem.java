package ai.vidgen.billing.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem. {@code reason} is a stable machine code callers branch on
 * ({@code budget_exceeded}, {@code no_price}); validation problems list their {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String reason, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: a JSON pointer into the request and what is wrong with it. */
    public record FieldError(String pointer, String detail) {
    }

    public Problem(String type, String title, int status, String detail, String reason) {
        this(type, title, status, detail, reason, null);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
