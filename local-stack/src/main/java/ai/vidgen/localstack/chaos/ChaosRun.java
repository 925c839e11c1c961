package ai.vidgen.localstack.chaos;

import static ai.vidgen.localstack.PlatformService.BILLING;
import static ai.vidgen.localstack.PlatformService.DISPATCHER;
import static ai.vidgen.localstack.PlatformService.FAL_ADAPTER;
import static ai.vidgen.localstack.PlatformService.FAL_EMULATOR;
import static ai.vidgen.localstack.PlatformService.REQUEST;

import ai.vidgen.localstack.LocalStack;
import ai.vidgen.localstack.PlatformClient;
import ai.vidgen.localstack.StackSettings;
import ai.vidgen.localstack.Tokens;
import ai.vidgen.testsupport.infra.Directories;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One chaos run on the packaged services: a throwaway PostgreSQL and broker, the five services
 * (dispatcher and adapter with two replicas each) and the fal emulator injecting faults; the
 * workload and the sabotage at once; then a bounded wait for every accepted generation to end,
 * and the audit.
 */
public final class ChaosRun {

    /** The emulator's faults, spread evenly over the plan's fault rate. */
    private static final List<String> FAULTS = List.of("submit_rate_limited", "submit_connection_reset",
            "internal_error", "runner_unavailable", "downstream_service_unavailable", "generation_timeout",
            "content_policy_violation", "webhook_dropped", "webhook_duplicated", "webhook_late", "truncated_media",
            "status_connection_reset", "result_connection_reset", "result_unavailable", "request_forgotten",
            "route_rate_limited", "route_server_error", "route_timeout", "media_slow");
    /** Budgets: one tenant tight enough to be refused now and then, the others roomy. */
    private static final Map<String, Long> BUDGETS = Map.of(
            "chaos-acme", 1_000_000_000L, "chaos-globex", 1_000_000_000L, "chaos-initech", 1_000_000_000L,
            "chaos-umbrella", 1_000_000_000L, "chaos-hooli", 25_000_000L);
    private static final int UNDECODABLE = 3;

    private ChaosRun() {
    }

    public static ChaosReport run(ChaosPlan plan, Path projectRoot, Path workDir, Consumer<String> log) {
        Instant began = Instant.now();
        // A fresh broker and fresh files: the audit counts what this run did, nothing older.
        Directories.deleteQuietly(workDir);
        try (PostgresServer postgres = PostgresServer.startThrowaway()) {
            String commandSecret = Tokens.fresh("commands");
            StackSettings settings = new StackSettings(projectRoot, workDir, postgres, workDir.resolve("kafka"),
                    FreePorts.allocate(), FreePorts.allocate(), StackSettings.freePorts(), Duration.ofSeconds(2))
                    .withEnvironment(DISPATCHER, Map.of("DISPATCHER_MAX_IN_FLIGHT", "16",
                            "DISPATCHER_RETRY_INITIAL_BACKOFF", "1s", "DISPATCHER_RETRY_MAX_BACKOFF", "5s"))
                    .withEnvironment(FAL_EMULATOR, Map.of("EMULATOR_CONCURRENCY", "32"))
                    .withEnvironment(FAL_ADAPTER, Map.of("FAL_POLL_MAX_INTERVAL", "2s"))
                    .withEnvironment(REQUEST, Map.of("REQUEST_COMMANDS_PRODUCER_KEYS",
                            KafkaCommands.producerKeys(commandSecret)));
            try (LocalStack stack = LocalStack.start(settings, log)) {
                stack.startReplica(DISPATCHER, "dispatcher-service-2");
                stack.startReplica(FAL_ADAPTER, "fal-adapter-2");
                return storm(plan, stack, postgres, workDir, commandSecret, log, began);
            }
        }
    }

    private static ChaosReport storm(ChaosPlan plan, LocalStack stack, PostgresServer postgres, Path workDir,
                                     String commandSecret, Consumer<String> log, Instant began) {
        PlatformClient admin = new PlatformClient(stack.url(REQUEST), "chaos-admin", stack.adminToken());
        BUDGETS.forEach((tenant, limit) -> admin.putJson(stack.url(BILLING) + "/v1/budgets/" + tenant,
                "{\"limitMicros\": " + limit + "}"));
        String faults = faultRules(plan.faultRate());
        admin.putJson(stack.url(FAL_EMULATOR) + "/_emulator/faults", faults);

        List<PlannedGeneration> planned = new GenerationMix(plan.seed(), ChaosMedia.create(workDir, 6))
                .plan(plan.generations(), plan.window());
        Saboteur saboteur = new Saboteur(stack, postgres, log);
        List<Saboteur.Act> acts = Saboteur.schedule(plan);
        log.accept("chaos: " + planned.size() + " generations over " + plan.window() + ", " + acts.size()
                + " acts of sabotage, faults " + faults);
        try (KafkaCommands commands = new KafkaCommands(() -> stack.kafka().bootstrapServers(), commandSecret);
                Workload workload = new Workload(tenant -> new PlatformClient(stack.url(REQUEST), tenant,
                        stack.adminToken()), commands, log)) {
            Instant start = Instant.now();
            workload.start(planned);
            CompletableFuture<Void> sabotage = CompletableFuture.runAsync(() -> saboteur.run(acts, start,
                    plan.databaseOutage()));
            for (int i = 0; i < UNDECODABLE; i++) {
                commands.submitUndecodable();
            }
            sabotage.join();
            Instant lastAct = Instant.now();
            boolean answered = workload.awaitAnswered(plan.window().plus(Duration.ofMinutes(5)));
            log.accept("chaos: sabotage done; " + workload.accepted().size() + " accepted, "
                    + workload.refused().size() + " refused" + (answered ? "" : ", " + workload.unanswered()
                    + " unanswered"));
            admin.delete(stack.url(FAL_EMULATOR) + "/_emulator/faults");

            ChaosAudit audit = new ChaosAudit(postgres, stack.videosDir());
            List<String> ids = new ArrayList<>(workload.accepted().values());
            Duration settledIn = settle(audit, ids, plan.settleTimeout(), log);
            Instant settled = Instant.now();
            List<ChaosAudit.Check> checks = new ArrayList<>();
            if (!answered) {
                checks.add(new ChaosAudit.Check("every submission answered", false, workload.unanswered()
                        + " submissions had no answer", List.of()));
            }
            checks.addAll(audit.run(ids, BUDGETS, admin.getJson(stack.url(FAL_EMULATOR) + "/_emulator/requests"),
                    commands.deadLetters(), commands.undecodableSent()));
            Map<String, Long> terminal = audit.statuses(ids).values().stream()
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
            Map<String, Long> refused = workload.refused().values().stream()
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
            return new ChaosReport(plan, planned.size(), ids.size(), terminal, refused, workload.cancelsSent(),
                    saboteur.done(), faults, Duration.between(lastAct, settled), Duration.between(began, Instant.now()),
                    checks);
        }
    }

    /** Waits for every accepted generation to end, money outcome included; returns how long that took. */
    private static Duration settle(ChaosAudit audit, List<String> ids, Duration timeout, Consumer<String> log) {
        Instant from = Instant.now();
        Instant until = from.plus(timeout);
        long open;
        while ((open = audit.unfinished(ids)) > 0 && Instant.now().isBefore(until)) {
            log.accept("chaos: " + open + " generations not ended yet");
            pause();
        }
        return Duration.between(from, Instant.now());
    }

    private static String faultRules(double rate) {
        double each = rate / FAULTS.size();
        return FAULTS.stream().map(fault -> "{\"fault\":\"%s\",\"rate\":%.4f}".formatted(fault, each))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static void pause() {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
