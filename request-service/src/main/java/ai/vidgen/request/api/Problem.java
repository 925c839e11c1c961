package ai.vidgen.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param type   a URN naming the kind of problem; clients branch on it, not on {@code title}
 * @param errors for validation problems, every violation with a JSON Pointer into the body
 * @param reason a machine code from another service's refusal (e.g. billing's {@code no_price})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record Problem(String type, String title, int status, String detail, String instance,
        List<ProblemError> errors, String reason) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String PREFIX = "urn:vidgen:problem:";

    public static final String INVALID_REQUEST = PREFIX + "invalid-request";
    public static final String MALFORMED_BODY = PREFIX + "malformed-body";
    public static final String INVALID_HEADER = PREFIX + "invalid-header";
    public static final String NOT_FOUND = PREFIX + "not-found";
    public static final String IDEMPOTENCY_CONFLICT = PREFIX + "idempotency-key-reused";
    public static final String UNPRICEABLE = PREFIX + "unpriceable";
    public static final String INTERNAL = PREFIX + "internal";
    public static final String UNAUTHORIZED = PREFIX + "unauthorized";

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
