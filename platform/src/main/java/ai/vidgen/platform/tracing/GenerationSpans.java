package ai.vidgen.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * Runs a unit of work for one generation inside a span of the generation's trace, on a Vert.x
 * context of its own: the span is current for everything the work does there (database calls,
 * REST clients such as fal's, events it publishes), and log lines carry {@code traceId} and
 * {@code generationId} in their MDC.
 *
 * <p>A fresh duplicated context per unit also gives each unit its own Hibernate Reactive session,
 * so units of different generations can run side by side.
 */
@ApplicationScoped
public class GenerationSpans {

    public static final String MDC_GENERATION = "generationId";

    private final Tracer tracer;
    private final Vertx vertx;

    public GenerationSpans(Tracer tracer, Vertx vertx) {
        this.tracer = tracer;
        this.vertx = vertx;
    }

    /**
     * @param name         the span name, e.g. {@code billing-service process GenerationCompleted}
     * @param kind         CONSUMER for a record, INTERNAL for a scheduled step
     * @param parent       the generation's trace; without one the span starts a new trace
     * @param generationId put on the span and in the log MDC
     */
    public <T> Uni<T> within(String name, SpanKind kind, Optional<TraceParent> parent, String generationId,
            Supplier<Uni<T>> work) {
        io.vertx.core.Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        // Hibernate Reactive runs only on a context marked safe (isolated to this unit).
        VertxContextSafetyToggle.setContextSafe(context, true);
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        return Uni.createFrom().deferred(() -> {
            Context parentContext = parent.map(TraceParent::asParent).orElse(Context.root());
            Span span = tracer.spanBuilder(name).setSpanKind(kind).setParent(parentContext)
                    .setAttribute("vidgen.generation.id", generationId == null ? "" : generationId)
                    .startSpan();
            // Stored in the duplicated context for the rest of this unit; the context is dropped
            // with the unit, so the scope needs no closing.
            @SuppressWarnings({"unused", "resource"})
            var scope = parentContext.with(span).makeCurrent();
            if (generationId != null) {
                MDC.put(MDC_GENERATION, generationId);
            }
            Uni<T> unit;
            try {
                unit = work.get();
            } catch (RuntimeException e) {
                unit = Uni.createFrom().failure(e);
            }
            return unit.onItemOrFailure().invoke((item, failure) -> {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.toString());
                }
                span.end();
            });
        }).runSubscriptionOn(onContext);
    }
}
