package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.FalPriceList;
import ai.vidgen.falemulator.domain.GenerationPlan;
import ai.vidgen.falemulator.domain.InputFetch;
import ai.vidgen.falemulator.domain.Outcome;
import ai.vidgen.falemulator.domain.QueueCall;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One request as the admin view shows it, with the dimensions fal bills by (seconds, audio,
 * voice control) and what fal would have charged, so reconciliation can check the platform's bill.
 *
 * @param submissions  remembered requests with the same endpoint and input (duplicates show as more than 1)
 * @param seconds      the video's length: the requested one, or once produced the produced one (for
 *                     motion control and video-to-video, the input video's; null until it is read)
 * @param forgotten    fal no longer answers for the request (fault {@code request_forgotten}): its
 *                     status, result and cancel calls get 404; its cost stands as fal billed it
 * @param outcome      {@code succeeded}, {@code failed} or {@code cancelled} once COMPLETED
 * @param imageUrls    the stills of a text-to-image request
 * @param priceMicrosPerSecond fal's price per generated second for this endpoint, tier and audio
 *                     (seed prices); null where fal prices otherwise (text-to-image)
 * @param costMicros   what fal would charge: seconds x price for a success, 0 for a failure or a
 *                     cancellation (fal does not bill them); null while the request is unfinished
 *                     or has no per-second price
 * @param inputFetches the runner's downloads of the input media (empty before it starts, and for
 *                     inputs without media)
 * @param traceparent  the {@code traceparent} header the submit came with (W3C trace context), if any
 * @param traceparents the {@code traceparent} of the last call of each kind that carried one, by
 *                     {@code submit}, {@code status}, {@code result}, {@code cancel}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RequestSummary(
        String requestId,
        String endpoint,
        String status,
        boolean forgotten,
        Integer queuePosition,
        int submissions,
        Integer seconds,
        Boolean audio,
        Boolean voiceControl,
        String aspectRatio,
        String outcome,
        String errorType,
        String videoUrl,
        List<String> imageUrls,
        Long priceMicrosPerSecond,
        Long costMicros,
        String webhookUrl,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Double inferenceTime,
        List<InputFetch> inputFetches,
        String traceparent,
        Map<String, String> traceparents) {

    static RequestSummary of(RequestSnapshot snapshot) {
        GenerationPlan plan = snapshot.request().plan().orElse(null);
        Outcome outcome = snapshot.outcome().orElse(null);
        String outcomeName = null;
        String errorType = null;
        String videoUrl = null;
        List<String> imageUrls = null;
        Integer seconds = plan == null ? null : plan.requestedSeconds().orElse(null);
        if (outcome instanceof Outcome.Succeeded output) {
            outcomeName = "succeeded";
            if (output.images()) {
                imageUrls = output.files().stream().map(Outcome.OutputFile::url).toList();
            } else {
                videoUrl = output.files().get(0).url();
                seconds = output.seconds();
            }
        } else if (outcome instanceof Outcome.Failed failed) {
            outcomeName = failed.cancelled() ? "cancelled" : "failed";
            errorType = failed.errorType();
        }
        OptionalLong price = plan == null ? OptionalLong.empty()
                : FalPriceList.microsPerSecond(plan.endpoint(), plan.audio(), plan.voiceControl());
        Long cost = null;
        if (outcome instanceof Outcome.Failed) {
            cost = 0L;
        } else if (outcome instanceof Outcome.Succeeded && price.isPresent() && seconds != null) {
            cost = seconds * price.getAsLong();
        }
        return new RequestSummary(
                snapshot.id(),
                snapshot.request().endpoint().id(),
                snapshot.status().name(),
                snapshot.forgotten(),
                snapshot.queuePosition().orElse(null),
                snapshot.submissions(),
                seconds,
                plan == null || plan.makesImages() ? null : plan.audio(),
                plan == null ? null : plan.voiceControl(),
                plan == null ? null : plan.makesImages() ? plan.image().orElseThrow().shape().value()
                        : plan.video().orElseThrow().aspectRatio().value(),
                outcomeName,
                errorType,
                videoUrl,
                imageUrls,
                price.isPresent() ? price.getAsLong() : null,
                cost,
                snapshot.request().webhookUrl().orElse(null),
                snapshot.request().submittedAt(),
                snapshot.startedAt().orElse(null),
                snapshot.completedAt().orElse(null),
                snapshot.inferenceSeconds().orElse(null),
                snapshot.inputFetches(),
                snapshot.traceparents().get(QueueCall.SUBMIT),
                byCall(snapshot.traceparents()));
    }

    private static Map<String, String> byCall(Map<QueueCall, String> traceparents) {
        Map<String, String> named = new LinkedHashMap<>();
        traceparents.forEach((call, traceparent) -> named.put(call.id(), traceparent));
        return named;
    }
}
