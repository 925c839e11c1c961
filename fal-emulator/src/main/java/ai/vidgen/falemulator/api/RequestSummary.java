package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.GenerationPlan;
import ai.vidgen.falemulator.domain.Outcome;
import ai.vidgen.falemulator.domain.QueueCall;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request as the admin view shows it, with the dimensions fal bills by (seconds, audio,
 * voice control) so reconciliation can recompute what fal would have charged.
 *
 * @param submissions remembered requests with the same endpoint and input (duplicates show as more than 1)
 * @param outcome     {@code succeeded}, {@code failed} or {@code cancelled} once COMPLETED
 * @param traceparent  the {@code traceparent} header the submit came with (W3C trace context), if any
 * @param traceparents the {@code traceparent} of the last call of each kind that carried one, by
 *                     {@code submit}, {@code status}, {@code result}, {@code cancel}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RequestSummary(
        String requestId,
        String endpoint,
        String status,
        Integer queuePosition,
        int submissions,
        Integer seconds,
        Boolean audio,
        Boolean voiceControl,
        String aspectRatio,
        String outcome,
        String errorType,
        String videoUrl,
        String webhookUrl,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Double inferenceTime,
        String traceparent,
        Map<String, String> traceparents) {

    static RequestSummary of(RequestSnapshot snapshot) {
        GenerationPlan plan = snapshot.request().plan().orElse(null);
        Outcome outcome = snapshot.outcome().orElse(null);
        String outcomeName = null;
        String errorType = null;
        String videoUrl = null;
        if (outcome instanceof Outcome.Succeeded video) {
            outcomeName = "succeeded";
            videoUrl = video.url();
        } else if (outcome instanceof Outcome.Failed failed) {
            outcomeName = failed.cancelled() ? "cancelled" : "failed";
            errorType = failed.errorType();
        }
        return new RequestSummary(
                snapshot.id(),
                snapshot.request().endpoint().id(),
                snapshot.status().name(),
                snapshot.queuePosition().orElse(null),
                snapshot.submissions(),
                plan == null ? null : plan.seconds(),
                plan == null ? null : plan.audio(),
                plan == null ? null : plan.voiceControl(),
                plan == null ? null : plan.video().aspectRatio().value(),
                outcomeName,
                errorType,
                videoUrl,
                snapshot.request().webhookUrl().orElse(null),
                snapshot.request().submittedAt(),
                snapshot.startedAt().orElse(null),
                snapshot.completedAt().orElse(null),
                snapshot.inferenceSeconds().orElse(null),
                snapshot.traceparents().get(QueueCall.SUBMIT),
                byCall(snapshot.traceparents()));
    }

    private static Map<String, String> byCall(Map<QueueCall, String> traceparents) {
        Map<String, String> named = new LinkedHashMap<>();
        traceparents.forEach((call, traceparent) -> named.put(call.id(), traceparent));
        return named;
    }
}
