package ai.vidgen.platform.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * The span exporter while OTLP export is off ({@code vidgen.tracing.otlp-export=false}, the
 * default): spans are still made, so events carry {@code traceparent} and logs carry the trace
 * id, but nothing is sent anywhere. Quarkus installs its OTLP exporter only when no other
 * exporter can be looked up, so {@code VIDGEN_TRACING_OTLP_EXPORT=true} with
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} turns export on without a rebuild.
 */
@Singleton
@LookupIfProperty(name = "vidgen.tracing.otlp-export", stringValue = "false", lookupIfMissing = true)
public class SpansKeptLocal implements SpanExporter {

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
