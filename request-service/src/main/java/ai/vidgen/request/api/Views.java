package ai.vidgen.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of the native API (snake_case, money in integer micro-dollars plus a text rendering). */
public final class Views {

    private Views() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CreateGeneration", description = "A generation request (the body of POST /v1/generations)")
    public record CreateGeneration(
            @Schema(required = true, example = "fal-ai/kling-video/v3/standard/text-to-video") String endpointId,
            @Schema(required = true, description = "fal's own input object for the endpoint, e.g. "
                    + "{\"prompt\": \"...\", \"duration\": \"5\", \"generate_audio\": true}") Map<String, Object> input,
            @Schema(enumeration = {"interactive", "batch"}, defaultValue = "interactive") String priority,
            @Schema(description = "Abort (unbilled) if not started by then") Instant deadline,
            @Schema(description = "Free string map, returned as given (at most 16 entries)")
            Map<String, String> metadata,
            @Schema(description = "https URL that receives a signed Standard Webhooks POST when the generation "
                    + "ends (generation.completed, .failed, .cancelled, .rejected); verify it with the secret "
                    + "from GET /v1/webhooks/secret. Must resolve to a public address.") String callbackUrl,
            @Schema(defaultValue = "false", description = "Draft: accept the cheapest compatible Kling model "
                    + "(v2.5 turbo / v2.6 pro for plain text- or image-to-video) for fast iteration; ran_on "
                    + "shows the endpoint that ran") Boolean draft) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AcceptedGeneration")
    public record Accepted(String id, String status, String endpointId,
            @Schema(nullable = true, description = "null when billing-service did not answer in time")
            EstimateView estimate, Links links) {
    }

    public record Links(String self) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Estimate")
    public record EstimateView(long amountMicros, String amount, String currency, long rateMicrosPerSecond,
            int seconds, String priceBookVersion) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Spec", description = "The dimensions that decide the price")
    public record SpecView(int seconds, boolean audio, boolean voiceControl) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "DryRun")
    public record DryRun(boolean dryRun, String endpointId, SpecView spec,
            @Schema(nullable = true) EstimateView estimate) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Generation")
    public record Generation(
            String id,
            String tenantId,
            String endpointId,
            @Schema(enumeration = {"queued", "in_progress", "archiving", "completed", "failed", "cancelled",
                    "rejected"}, description = "queued: waiting for admission or fal capacity; in_progress: at fal, "
                    + "or waiting to retry after a retryable failure (error.retryable true); archiving: fal finished, "
                    + "the MP4 is being stored; completed; failed (also when retries ran out: error.type from the "
                    + "last attempt); cancelled; rejected: refused by admission before anything was spent")
            String status,
            @Schema(description = "The draft option as requested") boolean draft,
            @Schema(nullable = true, description = "The endpoint that ran it (from the dispatch); differs from "
                    + "endpoint_id when a draft was routed to a cheaper model; null until dispatched") String ranOn,
            @Schema(nullable = true, description = "When the owner asked to cancel; the status changes when the "
                    + "cancellation takes effect") Instant cancelRequestedAt,
            @Schema(nullable = true, description = "What admission holds with billing for it") ReservedView reserved,
            @Schema(nullable = true) String callbackUrl,
            String priority,
            JsonNode input,
            SpecView spec,
            Map<String, String> metadata,
            @Schema(nullable = true) Instant deadline,
            @Schema(nullable = true) EstimateView estimate,
            @Schema(nullable = true) CostView cost,
            @Schema(nullable = true) VideoView video,
            @Schema(nullable = true) String falRequestId,
            @Schema(nullable = true) Integer queuePosition,
            @Schema(nullable = true) ErrorView error,
            List<TimelineView> timeline,
            Instant createdAt,
            Instant updatedAt,
            Links links) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Cost", description = "The settled charge")
    public record CostView(long amountMicros, String amount, String currency, Long rateMicrosPerSecond,
            Integer billedSeconds, String priceBookVersion) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Video", description = "The archived MP4")
    public record VideoView(String objectKey, String location,
            @Schema(description = "Download link on storage-service (HTTP Range supported), signed for this tenant "
                    + "and valid for request.video-url-validity (1 h by default) from when this was read; read the "
                    + "generation again for a fresh one") String url,
            String contentType, Long bytes,
            Long durationMs, Integer width, Integer height, Boolean hasAudio, String sha256) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "GenerationError")
    public record ErrorView(String type, String message, Boolean retryable) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "TimelineEntry")
    public record TimelineView(String stage, Integer attempt, Instant at) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Reservation", description = "The amount billing holds until the generation is settled or released")
    public record ReservedView(long amountMicros, String amount, String currency, String priceBookVersion) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "CancelAccepted")
    public record CancelAccepted(String id, String status, boolean cancelRequested, Links links) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "GenerationCallback", description = "data of a callback: the generation's outcome")
    public record Callback(String id, String status, String endpointId, String ranOn, boolean draft,
            Map<String, String> metadata, @Schema(nullable = true) VideoView video,
            @Schema(nullable = true) CostView cost, @Schema(nullable = true) ErrorView error, Instant updatedAt,
            Links links) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "GenerationPage")
    public record Page(List<Generation> data, @Schema(nullable = true) String nextCursor) {
    }
}
