package ai.vidgen.faladapter.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationSubmitted;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test but a measurement (issue 3: "it must carry 10,000 requests in flight"): puts
 * {@code bench.generations} generations in flight at once against the emulator (every one running
 * for {@code bench.inference}, one runner each) and prints submit rate, the length of one polling
 * pass over all of them, heap, database size, and the time to drain. Runs only when
 * {@code bench.generations} is set: {@code scripts/bench-fal-adapter.sh}.
 */
@EnabledIfSystemProperty(named = "bench.generations", matches = "\\d+")
class FalAdapterBenchIT {

    private final List<String> report = new ArrayList<>();

    @Test
    void carriesTenThousandRequestsInFlight() throws Exception {
        int n = Integer.getInteger("bench.generations");
        String inference = System.getProperty("bench.inference", "150s");
        Map<String, String> emulatorEnv = Map.of(
                "EMULATOR_CONCURRENCY", Integer.toString(Math.min(n, 10_000)), // its ceiling
                "EMULATOR_INFERENCE_TIME", inference,
                "EMULATOR_MAX_REQUESTS", Integer.toString(n * 2),
                "EMULATOR_RETENTION", "2h");
        // The adapter's production polling settings, not the faster ones of the tests.
        Map<String, String> adapterEnv = Map.of(
                "FAL_POLL_INITIAL_INTERVAL", "1s",
                "FAL_POLL_MAX_INTERVAL", "10s");
        try (ProcessStack stack = new ProcessStack(emulatorEnv, adapterEnv, "1g", "512m")) {
            stack.startAdapter();
            line("generations %d, emulator inference %s each, one runner per request", n, inference);
            List<GenerationDispatched> dispatches = ProcessStack.dispatches("gen-bench-" + UUID.randomUUID(), n);
            long t0 = System.nanoTime();
            stack.publish(dispatches);
            line("published %d GenerationDispatched in %.1f s", n, secondsSince(t0));

            long submittedAt = waitFor(() -> stack.emulatorStats().path("total_submissions").asLong() >= n, t0,
                    () -> "submissions at fal " + stack.emulatorStats().path("total_submissions").asLong());
            double submitSeconds = (submittedAt - t0) / 1e9;
            line("all %d submitted to fal after %.1f s: %.0f submits/s (consume, intent row, POST, Submitted event)",
                    n, submitSeconds, n / submitSeconds);
            long submittedEvents = waitFor(() -> stack.count(GenerationSubmitted.class) >= n, t0, () -> "Submitted events");
            line("all GenerationSubmitted on the topic after %.1f s", (submittedEvents - t0) / 1e9);

            JsonNode atFal = stack.emulatorStats();
            line("at fal now: %d in progress, %d completed", atFal.path("in_progress").asLong(),
                    atFal.path("completed").asLong());
            // One pass: how long until every open row has been polled once more, at steady state.
            long polls0 = Long.parseLong(stack.sql("SELECT coalesce(sum(poll_count), 0) FROM fal_requests"));
            long p0 = System.nanoTime();
            Thread.sleep(20_000);
            long polls1 = Long.parseLong(stack.sql("SELECT coalesce(sum(poll_count), 0) FROM fal_requests"));
            double pollsPerSecond = (polls1 - polls0) / secondsSince(p0);
            long open = Long.parseLong(stack.sql(
                    "SELECT count(*) FROM fal_requests WHERE state IN ('IN_QUEUE', 'IN_PROGRESS')"));
            line("status polls: %.0f/s with %d open requests: one pass over all of them every %.1f s "
                    + "(max interval between two polls of a request: 10 s)", pollsPerSecond, open,
                    open / Math.max(pollsPerSecond, 0.001));
            double rounds = stack.adapterMetric("fal_adapter_poll_round_seconds_count", null);
            double roundSum = stack.adapterMetric("fal_adapter_poll_round_seconds_sum", null);
            double roundMax = stack.adapterMetric("fal_adapter_poll_round_seconds_max", null);
            double rows = stack.adapterMetric("fal_adapter_poll_round_rows_sum", null);
            line("polling rounds: %.0f, mean %.0f ms for %.0f rows, max %.0f ms", rounds, 1000 * roundSum / rounds,
                    rows / rounds, 1000 * roundMax);
            double heap = stack.adapterMetric("jvm_memory_used_bytes", "area=\"heap\"");
            line("adapter heap used: %.0f MiB (max heap 512 MiB)", heap / (1 << 20));
            line("database: %s fal_requests rows, table with indexes %s", stack.sql("SELECT count(*) FROM fal_requests"),
                    stack.sql("SELECT pg_size_pretty(pg_total_relation_size('fal_requests'))"));

            long firstCompleted = waitFor(() -> stack.count(GenerationCompleted.class) >= 1, t0, () -> "first completion");
            long drainedAt = waitFor(() -> stack.generationsWith(GenerationCompleted.class).size() >= n, t0,
                    () -> "completed " + stack.generationsWith(GenerationCompleted.class).size());
            line("first GenerationCompleted after %.1f s, all %d after %.1f s: drained in %.1f s",
                    (firstCompleted - t0) / 1e9, n, (drainedAt - t0) / 1e9, (drainedAt - firstCompleted) / 1e9);
            line("fal counted %d submissions; %d GenerationCompleted events for %d generations",
                    stack.emulatorStats().path("total_submissions").asLong(), stack.count(GenerationCompleted.class),
                    stack.generationsWith(GenerationCompleted.class).size());
            heap = stack.adapterMetric("jvm_memory_used_bytes", "area=\"heap\"");
            line("adapter heap used after the drain: %.0f MiB", heap / (1 << 20));
            assertEquals(n, stack.emulatorStats().path("total_submissions").asLong());
        } finally {
            Files.write(Path.of("target", "bench-fal-adapter.txt"), report);
        }
    }

    private void line(String format, Object... args) {
        String text = String.format(format, args);
        report.add(text);
        System.out.println("BENCH " + text);
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Waits (no deadline but half an hour) and returns when it held, in nanoTime. */
    private long waitFor(java.util.function.BooleanSupplier condition, long t0,
            java.util.function.Supplier<String> progress) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (secondsSince(t0) > Duration.ofMinutes(30).toSeconds()) {
                throw new IllegalStateException("gave up waiting: " + progress.get());
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                System.out.printf("BENCH   … %.0f s: %s%n", secondsSince(t0), progress.get());
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
        return System.nanoTime();
    }

}
