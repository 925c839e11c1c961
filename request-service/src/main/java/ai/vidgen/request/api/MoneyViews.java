package ai.vidgen.request.api;

import ai.vidgen.platform.money.Money;
import ai.vidgen.request.client.BillingBudget;
import ai.vidgen.request.client.BillingLedgerEntry;
import ai.vidgen.request.client.BillingUsage;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The JSON shapes of a tenant's own money ({@code /v1/usage}, {@code /v1/budget},
 * {@code /v1/ledger}): snake_case like the rest of the native API, integer micro-dollars plus the
 * platform's text rendering, the currency named once per object.
 */
public final class MoneyViews {

    private MoneyViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Usage", description = "Charges (settlements plus corrections) of the tenant, grouped")
    public record Usage(String tenantId, @Schema(nullable = true) Instant from, @Schema(nullable = true) Instant to,
            List<String> groupBy, List<UsageGroup> groups, long totalChargedMicros, String totalCharged,
            long totalBilledSeconds, String currency) {

        static Usage of(BillingUsage usage, String tenant) {
            return new Usage(tenant, usage.from(), usage.to(), usage.groupBy(),
                    usage.groups().stream().map(UsageGroup::of).toList(), usage.totalChargedMicros(),
                    Money.format(usage.totalChargedMicros()), usage.totalBilledSeconds(), Money.CURRENCY);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "UsageGroup")
    public record UsageGroup(@Schema(description = "The group's value of each groupBy dimension") Map<String, Object> group,
            long chargedMicros, String charged, long billedSeconds, long generations, long correctionsMicros) {

        static UsageGroup of(BillingUsage.Group g) {
            return new UsageGroup(g.group(), g.chargedMicros(), Money.format(g.chargedMicros()), g.billedSeconds(),
                    g.generations(), g.correctionsMicros());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "Budget", description = "This month's (UTC) budget: limit, committed (held and charged) and remaining")
    public record Budget(String tenantId,
            @Schema(nullable = true, description = "null: no budget (unlimited), not the same as 0") Long limitMicros,
            @Schema(nullable = true) String limit, long committedMicros, String committed,
            @Schema(nullable = true) Long remainingMicros, @Schema(nullable = true) String remaining, String currency,
            Instant periodStart) {

        static Budget of(BillingBudget b) {
            return new Budget(b.tenantId(), b.limitMicros(), text(b.limitMicros()), b.committedMicros(),
                    Money.format(b.committedMicros()), b.remainingMicros(), text(b.remainingMicros()), Money.CURRENCY,
                    b.periodStart());
        }

        private static String text(Long micros) {
            return micros == null ? null : Money.format(micros);
        }
    }

    @Schema(name = "Ledger")
    public record Ledger(List<LedgerEntry> data) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "LedgerEntry", description = "One append-only ledger row: a reservation, settlement, release or correction")
    public record LedgerEntry(String generationId,
            @Schema(enumeration = {"RESERVE", "SETTLE", "RELEASE", "CORRECTION"}) String kind, long amountMicros,
            String amount, String currency, int seconds, long rateMicrosPerSecond, String endpointId,
            String modelFamily, String tier, boolean audio, boolean voiceControl, String priceBookVersion,
            @Schema(nullable = true) String reason, Instant createdAt) {

        static LedgerEntry of(BillingLedgerEntry e) {
            return new LedgerEntry(e.generationId(), e.kind(), e.amountMicros(), Money.format(e.amountMicros()),
                    Money.CURRENCY, e.seconds(), e.rateMicrosPerSecond(), e.endpointId(), e.modelFamily(), e.tier(),
                    e.audio(), e.voiceControl(), e.priceBookVersion(), e.reason(), e.createdAt());
        }
    }
}
