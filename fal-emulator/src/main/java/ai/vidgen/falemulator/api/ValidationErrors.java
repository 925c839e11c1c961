package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.FieldError;
import java.util.List;

/** fal's 422 body, {@code {"detail":[{"loc":[...],"msg":"...","type":"..."}]}}. */
public record ValidationErrors(List<FieldError> detail) {
}
