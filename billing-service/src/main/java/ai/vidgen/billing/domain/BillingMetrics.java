package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationBilled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cost metrics with bounded label values (families, tiers and booleans are enumerations;
 * tenants are as many as the platform has customers).
 */
@ApplicationScoped
public class BillingMetrics {

    private final MeterRegistry registry;

    public BillingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void charged(GenerationBilled billed) {
        Tags tags = Tags.of("model_family", billed.modelFamily(), "tier", billed.tier(),
                "audio", Boolean.toString(billed.audio()), "voice_control", Boolean.toString(billed.voiceControl()),
                "tenant", billed.tenantId());
        Counter.builder("billing.charged.micros").description("Charged amount in micro-dollars")
                .tags(tags).register(registry).increment(billed.amountMicros());
        Counter.builder("billing.billed.seconds").description("Billed seconds of generated video")
                .tags(tags).register(registry).increment(billed.billedSeconds());
    }

    public void released() {
        registry.counter("billing.reservations.released").increment();
    }
}
