package ai.vidgen.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theTraceTravelsInsideTheCloudEventAndSurvivesDecoding() {
        EventCodec codec = new EventCodec("/vidgen/test");
        CloudEvent envelope = new TraceParent(PARENT, "vendor=1")
                .stamp(codec.envelope(new GenerationCancelRequested("gen-1", "t", "because", java.time.Instant.EPOCH)));
        DecodedEvent decoded = EventCodec.decode(EventCodec.write(envelope));

        TraceParent trace = TraceParent.of(decoded.envelope()).orElseThrow();
        assertThat(trace.traceparent()).isEqualTo(PARENT);
        assertThat(trace.tracestate()).isEqualTo("vendor=1");
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aChildSpanStartedUnderItBelongsToTheSameTrace() {
        SpanContext parent = Span.fromContext(new TraceParent(PARENT, null).asParent()).getSpanContext();
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void anEventWithoutATraceGivesNothing() {
        CloudEvent untraced = new EventCodec("/vidgen/test").envelope(new GenerationCancelRequested("gen-2", "t", "x", java.time.Instant.EPOCH));
        assertThat(TraceParent.of(untraced)).isEmpty();
        assertThat(TraceParent.of((String) null)).isEmpty();
        assertThat(TraceParent.current()).isEmpty();
    }
}
