package ai.vidgen.falemulator.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One entry of fal's (FastAPI/Pydantic-shaped) validation error list:
 * {@code {"loc":["body","duration"],"msg":"...","type":"enum","ctx":{...}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(List<Object> loc, String msg, String type, Map<String, Object> ctx) {

    public FieldError {
        loc = List.copyOf(loc);
        ctx = ctx == null ? null : Map.copyOf(ctx);
    }

    public static FieldError at(String field, String msg, String type) {
        return new FieldError(List.of("body", field), msg, type, null);
    }

    public static FieldError at(List<Object> loc, String msg, String type, Map<String, Object> ctx) {
        return new FieldError(loc, msg, type, ctx);
    }
}
