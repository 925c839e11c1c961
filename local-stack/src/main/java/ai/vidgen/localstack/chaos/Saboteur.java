package ai.vidgen.localstack.chaos;

import ai.vidgen.localstack.LocalStack;
import ai.vidgen.localstack.PlatformService;
import ai.vidgen.testsupport.infra.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Breaks the stack on a schedule drawn from the seed: SIGKILLs of each service, of the broker,
 * and one PostgreSQL outage, at random moments of the window. One act at a time, each waiting
 * for what it broke to be back (a restarted service is ready, the broker serves again), so the
 * acts add up rather than blur into one long outage.
 */
final class Saboteur {

    /** One act of sabotage. */
    record Act(Duration at, String target) {
        static final String BROKER = "kafka";
        static final String DATABASE = "postgresql";
    }

    /** What was done, for the report. */
    public record Done(Instant at, String what, Duration took) {
    }

    static final List<PlatformService> SERVICES = List.of(PlatformService.REQUEST, PlatformService.DISPATCHER,
            PlatformService.FAL_ADAPTER, PlatformService.STORAGE, PlatformService.BILLING);

    private final LocalStack stack;
    private final PostgresServer postgres;
    private final Consumer<String> log;
    private final List<Done> done = new ArrayList<>();

    Saboteur(LocalStack stack, PostgresServer postgres, Consumer<String> log) {
        this.stack = stack;
        this.postgres = postgres;
        this.log = log;
    }

    static List<Act> schedule(ChaosPlan plan) {
        Random random = new Random(plan.seed() * 31 + 7);
        List<Act> acts = new ArrayList<>();
        // Between 5 % and 85 % of the window: the first submissions land before anything breaks.
        long from = plan.window().toMillis() / 20;
        long span = plan.window().toMillis() * 8 / 10;
        for (PlatformService service : SERVICES) {
            for (int i = 0; i < plan.killsPerService(); i++) {
                acts.add(new Act(Duration.ofMillis(from + (long) (random.nextDouble() * span)), service.module()));
            }
        }
        for (int i = 0; i < plan.brokerKills(); i++) {
            acts.add(new Act(Duration.ofMillis(from + (long) (random.nextDouble() * span)), Act.BROKER));
        }
        acts.add(new Act(Duration.ofMillis(from + (long) (random.nextDouble() * span)), Act.DATABASE));
        acts.sort(Comparator.comparing(Act::at));
        return acts;
    }

    /** Runs the acts in order from {@code start}; returns when the last one is done. */
    void run(List<Act> acts, Instant start, Duration databaseOutage) {
        for (Act act : acts) {
            Duration wait = Duration.between(Instant.now(), start.plus(act.at()));
            if (!wait.isNegative()) {
                sleep(wait);
            }
            Instant began = Instant.now();
            switch (act.target()) {
                case Act.BROKER -> stack.crashAndRestartBroker();
                case Act.DATABASE -> {
                    log.accept("PostgreSQL stopped for " + databaseOutage);
                    postgres.stop();
                    sleep(databaseOutage);
                    postgres.startAgain();
                    log.accept("PostgreSQL started again");
                }
                default -> stack.crashAndRestart(service(act.target()));
            }
            synchronized (done) {
                done.add(new Done(began, act.target().equals(Act.DATABASE) ? "postgresql stopped " + databaseOutage
                        : "SIGKILL " + act.target(), Duration.between(began, Instant.now())));
            }
        }
    }

    List<Done> done() {
        synchronized (done) {
            return List.copyOf(done);
        }
    }

    private static PlatformService service(String module) {
        return SERVICES.stream().filter(s -> s.module().equals(module)).findFirst().orElseThrow();
    }

    /** The schedule is the point here: nothing to await but the clock. */
    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
