package ai.vidgen.request.messaging;

import ai.vidgen.platform.tracing.TraceParent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A command from an upstream system, decoded from a CloudEvent on {@code generation-commands}
 * (structured or binary mode). Decoding only establishes that the record is a CloudEvent we can
 * answer; whether the command itself is acceptable is the intake's call, answered on the reply topic.
 *
 * @param eventId        the CloudEvent id
 * @param type           the CloudEvent type (see {@link #SUBMIT} and {@link #CANCEL})
 * @param source         the CloudEvent source
 * @param correlationId  the reply key: the {@code correlationid} extension, else the record key, else the event id
 * @param tenantId       the {@code tenantid} extension, or null when absent
 * @param idempotencyKey the {@code idempotencykey} extension, else the event id
 * @param data           the command's data (a JSON value; null when the event carried none)
 * @param mode           {@code structured} or {@code binary}
 * @param traceparent    the {@code traceparent} extension (the producer's trace), or null
 * @param tracestate     the {@code tracestate} extension, or null
 */
public record GenerationCommand(String eventId, String type, String source, String correlationId, String tenantId,
        String idempotencyKey, JsonNode data, String mode, String traceparent, String tracestate) {

    /** Submit a generation: data is the body of {@code POST /v1/generations}. */
    public static final String SUBMIT = "ai.vidgen.command.generation.submit";
    /** Cancel a generation: data is {@code {"generation_id": "…"}}. */
    public static final String CANCEL = "ai.vidgen.command.generation.cancel";

    /** The generation a cancel command names; null for a submit (its generation does not exist yet). */
    public String generationId() {
        JsonNode id = !CANCEL.equals(type) || data == null ? null : data.get("generation_id");
        return id != null && id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
    }

    /** The producer's trace, which the command's handling continues. */
    public Optional<TraceParent> trace() {
        return traceparent == null ? Optional.empty() : Optional.of(new TraceParent(traceparent, tracestate));
    }
}
