package ai.vidgen.platform.tracing;

import ai.vidgen.events.envelope.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A W3C trace context ({@code traceparent} and {@code tracestate}) as it travels inside a
 * CloudEvent (the CloudEvents distributed-tracing extension) or is kept in a row for work that
 * continues later (a queued generation, a render being polled).
 */
public record TraceParent(String traceparent, String tracestate) {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

    /** The trace of the span current on this thread or Vert.x context, if one is recording. */
    public static Optional<TraceParent> current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return Optional.empty();
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, SETTER);
        return Optional.ofNullable(carrier.get("traceparent"))
                .map(parent -> new TraceParent(parent, carrier.get("tracestate")));
    }

    /** The trace an event was published in, if it carries one. */
    public static Optional<TraceParent> of(CloudEvent envelope) {
        return envelope.traceparent() == null || envelope.traceparent().isBlank()
                ? Optional.empty()
                : Optional.of(new TraceParent(envelope.traceparent(), envelope.tracestate()));
    }

    /** A stored traceparent (null or blank gives nothing). */
    public static Optional<TraceParent> of(String traceparent) {
        return traceparent == null || traceparent.isBlank() ? Optional.empty()
                : Optional.of(new TraceParent(traceparent, null));
    }

    /** The 32 hex digits of the trace id, what logs and trace backends show. */
    public String traceId() {
        String[] parts = traceparent.split("-");
        return parts.length > 1 ? parts[1] : "";
    }

    /** The OpenTelemetry context whose remote parent is this trace, to start a child span in. */
    public Context asParent() {
        Map<String, String> carrier = new HashMap<>();
        carrier.put("traceparent", traceparent);
        if (tracestate != null) {
            carrier.put("tracestate", tracestate);
        }
        return W3C.extract(Context.root(), carrier, GETTER);
    }

    /** The same event, continuing this trace. */
    public CloudEvent stamp(CloudEvent envelope) {
        return envelope.withTrace(traceparent, tracestate);
    }
}
