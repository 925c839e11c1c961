package ai.vidgen.localstack.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Runs a workload on the packaged platform while killing its processes, its broker and its "
                + "database and injecting fal faults; then checks that every generation ended with one money outcome.")
public final class ChaosCommand implements Callable<Integer> {

    @Parameters(index = "0", defaultValue = "2000", description = "Generations to submit (default: 2000).")
    int generations;

    @Parameters(index = "1", defaultValue = "15", description = "Minutes to spread them and the sabotage over (default: 15).")
    int minutes;

    @Option(names = "--project-root", defaultValue = ".", description = "The checkout (default: current directory).")
    Path projectRoot;

    @Option(names = "--work-dir", defaultValue = ".chaos", description = "Logs, broker data, videos (default: .chaos).")
    Path workDir;

    @Option(names = "--seed", defaultValue = "1", description = "Makes the workload and the sabotage repeatable.")
    long seed;

    @Option(names = "--kills-per-service", defaultValue = "3", description = "SIGKILLs of each service (default: 3).")
    int killsPerService;

    @Option(names = "--broker-kills", defaultValue = "2", description = "SIGKILLs of the Kafka broker (default: 2).")
    int brokerKills;

    @Option(names = "--database-outage", defaultValue = "PT3M", description = "How long PostgreSQL is stopped (default: PT3M).")
    Duration databaseOutage;

    @Option(names = "--fault-rate", defaultValue = "0.10", description = "Share of fal calls answered with a fault (default: 0.10).")
    double faultRate;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Path root = projectRoot.toAbsolutePath().normalize();
        ChaosPlan plan = new ChaosPlan(generations, Duration.ofMinutes(minutes), killsPerService, brokerKills,
                databaseOutage, faultRate, ChaosPlan.full(generations, Duration.ofMinutes(minutes), seed).settleTimeout(),
                seed);
        ChaosReport report = ChaosRun.run(plan, root,
                root.resolve(workDir).normalize(), line -> System.out.println("[chaos] " + line));
        report.print(System.out);
        return report.passed() ? 0 : 1;
    }
}
