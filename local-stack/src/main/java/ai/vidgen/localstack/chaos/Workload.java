package ai.vidgen.localstack.chaos;

import ai.vidgen.localstack.PlatformClient;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Submits the planned generations at their times, as clients would: over HTTP with an
 * Idempotency-Key, repeating a call whose answer was lost or was a 5xx (the service may be down
 * for a restart), or as signed Kafka commands; then cancels the ones planned to be cancelled.
 * Records what the platform accepted, which is what the audit holds it to.
 */
final class Workload implements AutoCloseable {

    /** How long a client keeps repeating one call before it gives up on it. */
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    private final Function<String, PlatformClient> clients;
    private final KafkaCommands commands;
    private final Consumer<String> log;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "chaos-client");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    private final Map<Integer, String> refused = new ConcurrentHashMap<>();
    private final Map<Integer, String> bodies = new ConcurrentHashMap<>();
    private final Map<Integer, PlannedGeneration> byIndex = new ConcurrentHashMap<>();
    private final AtomicInteger cancelsSent = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();

    Workload(Function<String, PlatformClient> clients, KafkaCommands commands, Consumer<String> log) {
        this.clients = clients;
        this.commands = commands;
        this.log = log;
    }

    void start(List<PlannedGeneration> plan) {
        pending.set(plan.size());
        plan.forEach(generation -> byIndex.put(generation.index(), generation));
        commands.onReply(this::recordReply);
        for (PlannedGeneration generation : plan) {
            executor.schedule(() -> submit(generation), generation.submitAt().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Waits until every submission has an answer (accepted or refused), at most {@code timeout}. */
    boolean awaitAnswered(Duration timeout) {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            if (pending.get() == 0) {
                return true;
            }
            pause(Duration.ofMillis(500));
        }
        return pending.get() == 0;
    }

    Map<Integer, String> accepted() {
        return Map.copyOf(accepted);
    }

    Map<Integer, String> refused() {
        return Map.copyOf(refused);
    }

    int unanswered() {
        return pending.get();
    }

    int cancelsSent() {
        return cancelsSent.get();
    }

    private void submit(PlannedGeneration generation) {
        try {
            // The same bytes on every repeat, deadline included: a changed body under the same key is a 409.
            String body = bodies.computeIfAbsent(generation.index(), i -> GenerationMix.withDeadline(generation));
            if (generation.viaKafka()) {
                commands.submit(generation, body);
                return;
            }
            PlatformClient client = clients.apply(generation.tenant());
            Instant giveUp = Instant.now().plus(PATIENCE);
            while (true) {
                try {
                    PlatformClient.Answer answer = client.submit(body, generation.idempotencyKey());
                    if (answer.status() == 202) {
                        recordAccepted(generation, answer.json().path("id").asText());
                        return;
                    }
                    if (answer.status() < 500 && answer.status() != 429) {
                        var problem = answer.json();
                        recordRefused(generation, answer.status() + " " + problem.path("type").asText()
                                + problem.path("errors").path(0).path("pointer").asText(""));
                        return;
                    }
                } catch (UncheckedIOException | IllegalStateException noAnswer) {
                    // The service is down or restarting: repeat under the same key.
                }
                if (Instant.now().isAfter(giveUp)) {
                    recordRefused(generation, "no answer within " + PATIENCE);
                    return;
                }
                pause(Duration.ofSeconds(2));
            }
        } catch (RuntimeException e) {
            log.accept("client of generation " + generation.index() + " failed: " + e);
            recordRefused(generation, "client error " + e.getClass().getSimpleName());
        }
    }

    private synchronized void recordReply(KafkaCommands.Reply reply) {
        if (reply.accepted()) {
            if (accepted.putIfAbsent(reply.index(), reply.generationId()) == null
                    && !refused.containsKey(reply.index())) {
                pending.decrementAndGet();
                scheduleCancel(reply.index(), reply.generationId());
            }
        } else if (refused.putIfAbsent(reply.index(), "kafka " + reply.reason()) == null
                && !accepted.containsKey(reply.index())) {
            pending.decrementAndGet();
        }
    }

    private void recordAccepted(PlannedGeneration generation, String id) {
        accepted.put(generation.index(), id);
        pending.decrementAndGet();
        scheduleCancel(generation.index(), id);
    }

    private void recordRefused(PlannedGeneration generation, String why) {
        refused.put(generation.index(), why);
        pending.decrementAndGet();
    }

    private void scheduleCancel(int index, String id) {
        PlannedGeneration generation = byIndex.get(index);
        if (generation == null || generation.cancelAfter() == null) {
            return;
        }
        executor.schedule(() -> cancel(generation, id), generation.cancelAfter().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancel(PlannedGeneration generation, String id) {
        PlatformClient client = clients.apply(generation.tenant());
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(giveUp)) {
            try {
                int status = client.cancel(id);
                // 202 taken, 409 already ended: either way the client is done.
                if (status < 500) {
                    cancelsSent.incrementAndGet();
                    return;
                }
            } catch (UncheckedIOException | IllegalStateException noAnswer) {
                // repeat: a cancel is idempotent
            }
            pause(Duration.ofSeconds(2));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
