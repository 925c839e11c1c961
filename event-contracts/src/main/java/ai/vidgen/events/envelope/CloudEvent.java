package ai.vidgen.events.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * A CloudEvent 1.0 in structured mode: the whole event, attributes and data, is the JSON value
 * of the Kafka record. Any CloudEvents tooling (and kcat) can read it without our code.
 *
 * <p>{@code traceparent} and {@code tracestate} are the CloudEvents distributed-tracing extension:
 * the W3C trace context of the work that produced the event. They travel inside the event, not only
 * in Kafka headers, so an outbox row published minutes later still continues the trace it was
 * written in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        String traceparent,
        String tracestate,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    /** The Kafka {@code content-type} header of a structured-mode CloudEvent. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    /** The same event, continuing the given W3C trace context (null leaves it untraced). */
    public CloudEvent withTrace(String parent, String state) {
        return new CloudEvent(specversion, id, source, type, subject, time, datacontenttype, parent, state, data);
    }
}
