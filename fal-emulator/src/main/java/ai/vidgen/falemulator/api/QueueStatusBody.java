package ai.vidgen.falemulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The submit and status bodies. Absent fields are left out, except {@code logs}: fal's Python
 * client needs the key on IN_PROGRESS and COMPLETED (null is fine), and submit shows it as null.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueStatusBody(
        String status,
        String requestId,
        String responseUrl,
        String statusUrl,
        String cancelUrl,
        Integer queuePosition,
        @JsonInclude(JsonInclude.Include.ALWAYS) List<LogLine> logs,
        Map<String, Object> metrics,
        String error,
        String errorType,
        String gatewayRequestId) {
}
