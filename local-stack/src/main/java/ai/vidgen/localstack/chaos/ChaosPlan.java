package ai.vidgen.localstack.chaos;

import java.time.Duration;

/**
 * What a chaos run does.
 *
 * @param generations      how many generations the workload submits
 * @param window           how long submissions and sabotage are spread over
 * @param killsPerService  SIGKILLs of each of the five services (their first instance)
 * @param brokerKills      SIGKILLs of the Kafka broker, each followed by a restart on its data
 * @param databaseOutage   how long PostgreSQL is stopped, once
 * @param faultRate        the share of fal calls the emulator answers with a fault, over all kinds
 * @param settleTimeout    how long every accepted generation has to become terminal afterwards
 * @param seed             makes the workload and the sabotage schedule repeatable
 */
public record ChaosPlan(
        int generations,
        Duration window,
        int killsPerService,
        int brokerKills,
        Duration databaseOutage,
        double faultRate,
        Duration settleTimeout,
        long seed) {

    /** The acceptance run: each service killed 3 times, a 3 minute database outage, 10 % faults. */
    public static ChaosPlan full(int generations, Duration window, long seed) {
        return new ChaosPlan(generations, window, 3, 2, Duration.ofMinutes(3), 0.10, Duration.ofMinutes(10), seed);
    }

    /** The test suite's run: every kind of sabotage once, on a few hundred generations. */
    public static ChaosPlan reduced(long seed) {
        return new ChaosPlan(200, Duration.ofMinutes(3), 1, 1, Duration.ofSeconds(30), 0.10, Duration.ofMinutes(6), seed);
    }
}
