package ai.vidgen.localstack;

import ai.vidgen.testsupport.infra.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "local-stack", mixinStandardHelpOptions = true,
        description = "Runs the platform on this machine (Kafka, PostgreSQL, fal emulator, five services), "
                + "submits a sample generation and follows it until it is archived and billed.")
public final class LocalStackCommand implements Callable<Integer> {

    @Option(names = "--project-root", defaultValue = ".", description = "The checkout (default: current directory).")
    Path projectRoot;

    @Option(names = "--work-dir", defaultValue = ".run", description = "Logs, Kafka data, videos (default: .run).")
    Path workDir;

    @Option(names = "--exit-after-demo", description = "Stop the stack once the sample generation is done.")
    boolean exitAfterDemo;

    @Option(names = "--no-demo", description = "Only start the stack.")
    boolean noDemo;

    @Option(names = "--pg-host", defaultValue = "${env:PGHOST:-127.0.0.1}")
    String pgHost;

    @Option(names = "--pg-port", defaultValue = "${env:PGPORT:-5432}")
    int pgPort;

    @Option(names = "--pg-user", defaultValue = "${env:PGUSER:-postgres}")
    String pgUser;

    @Option(names = "--pg-password", defaultValue = "${env:PGPASSWORD:-postgres}")
    String pgPassword;

    @Option(names = "--kafka-port", defaultValue = "9092")
    int kafkaPort;

    @Option(names = "--inference-time", defaultValue = "PT4S", description = "The emulator's render time (ISO-8601).")
    Duration inferenceTime;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "How long to wait for the sample.")
    Duration timeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LocalStackCommand()).execute(args));
    }

    @Override
    public Integer call() {
        Path root = projectRoot.toAbsolutePath().normalize();
        Path work = root.resolve(workDir).normalize();
        StackSettings settings = new StackSettings(root, work,
                PostgresServer.external(pgHost, pgPort, pgUser, pgPassword), work.resolve("kafka"), kafkaPort,
                kafkaPort + 1, StackSettings.defaultPorts(), inferenceTime);

        LocalStack stack = LocalStack.start(settings, LocalStackCommand::say);
        Thread stopper = new Thread(() -> {
            say("stopping the stack...");
            stack.close();
            say("stopped; no process left running");
        }, "stop-local-stack");
        Runtime.getRuntime().addShutdownHook(stopper);

        int exit = 0;
        if (!noDemo) {
            exit = runDemo(stack);
        }
        if (exitAfterDemo) {
            return exit;
        }
        say("the stack is up: request-service at " + stack.url(PlatformService.REQUEST) + ". Ctrl-C stops it.");
        say("operators' token for the admin views: " + stack.writeAdminToken(work.resolve("admin-token")));
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exit;
    }

    private static int runDemo(LocalStack stack) {
        say("submitting the sample: 5 s Kling V3 standard text-to-video with audio");
        PlatformClient client = new PlatformClient(stack.url(PlatformService.REQUEST), "demo", stack.adminToken());
        JsonNode done;
        try {
            done = new SampleGeneration(client, LocalStackCommand::say).run(Duration.ofMinutes(3));
        } catch (RuntimeException e) {
            say("the sample did not finish: " + e.getMessage());
            return 1;
        }
        if (!"completed".equals(done.path("status").asText())) {
            say("the sample ended " + done.path("status").asText() + ": " + done.path("error"));
            return 1;
        }
        JsonNode video = done.path("video");
        say("archived: " + video.path("location").asText() + " (" + video.path("bytes").asLong() + " bytes, "
                + video.path("duration_ms").asLong() / 1000.0 + " s, " + video.path("width").asInt() + "x"
                + video.path("height").asInt() + (video.path("has_audio").asBoolean() ? ", with audio" : "") + ")");
        say("cost: " + SampleGeneration.amount(done.path("cost"), "amount_micros"));
        return 0;
    }

    private static void say(String line) {
        System.out.println("[local-stack] " + line);
        System.out.flush();
    }
}
