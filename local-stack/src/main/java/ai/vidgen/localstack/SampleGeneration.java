package ai.vidgen.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/** Submits the sample generation and follows it to the end, reporting each change. */
public final class SampleGeneration {

    private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled", "rejected");

    private final PlatformClient client;
    private final Consumer<String> log;

    public SampleGeneration(PlatformClient client, Consumer<String> log) {
        this.client = client;
        this.log = log;
    }

    /**
     * @return the generation once it is final and, when completed, billed
     * @throws IllegalStateException when it does not get there within {@code timeout}
     */
    public JsonNode run(Duration timeout) {
        JsonNode accepted = client.submit(PlatformClient.sampleRequest());
        String id = accepted.path("id").asText();
        log.accept("accepted: generation " + id + " (estimate " + amount(accepted.path("estimate"), "amount_micros")
                + ")");
        Instant deadline = Instant.now().plus(timeout);
        String lastReport = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode generation = client.generation(id);
            String report = describe(generation);
            if (!report.equals(lastReport)) {
                log.accept(report);
                lastReport = report;
            }
            if (isDone(generation)) {
                return generation;
            }
            pause();
        }
        throw new IllegalStateException("generation " + id + " not finished after " + timeout + "; last seen: " + lastReport);
    }

    /** Final, and if completed also billed: the cost is known. */
    static boolean isDone(JsonNode generation) {
        String status = generation.path("status").asText();
        if (!FINAL.contains(status)) {
            return false;
        }
        return !"completed".equals(status) || generation.path("cost").hasNonNull("amount_micros");
    }

    private static String describe(JsonNode generation) {
        StringBuilder line = new StringBuilder("status: ").append(generation.path("status").asText());
        JsonNode timeline = generation.path("timeline");
        if (timeline.isArray() && !timeline.isEmpty()) {
            line.append("  (last stage: ").append(timeline.get(timeline.size() - 1).path("stage").asText()).append(')');
        }
        if (generation.path("cost").hasNonNull("amount_micros")) {
            line.append("  cost: ").append(amount(generation.path("cost"), "amount_micros"));
        }
        return line.toString();
    }

    static String amount(JsonNode money, String field) {
        if (!money.hasNonNull(field)) {
            return "unknown";
        }
        long micros = money.path(field).asLong();
        return "$" + java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().setScale(
                Math.max(2, java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().scale()),
                java.math.RoundingMode.UNNECESSARY).toPlainString();
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
