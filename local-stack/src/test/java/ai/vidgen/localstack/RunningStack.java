package ai.vidgen.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.vidgen.testsupport.infra.Directories;
import ai.vidgen.testsupport.infra.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A whole stack for one test class: a throwaway PostgreSQL, a throwaway broker and the packaged
 * applications, in a work directory under target/ so the services' logs stay for a look after a
 * failure. Closing it checks that no process it started outlives it.
 */
final class RunningStack implements AutoCloseable {

    private final PostgresServer postgres;
    private final LocalStack stack;

    private RunningStack(PostgresServer postgres, LocalStack stack) {
        this.postgres = postgres;
        this.stack = stack;
    }

    static RunningStack start(String workDirName, Duration inferenceTime, UnaryOperator<StackSettings> tuning) {
        Path work = Path.of("target", workDirName).toAbsolutePath();
        Directories.deleteQuietly(work);
        Path root = Path.of(System.getProperty("vidgen.project.root", "..")).toAbsolutePath().normalize();
        PostgresServer postgres = PostgresServer.startThrowaway();
        try {
            StackSettings settings = tuning.apply(new StackSettings(root, work, postgres, null, 0, 0,
                    StackSettings.freePorts(), inferenceTime));
            LocalStack stack = LocalStack.start(settings, line -> System.out.println("[" + workDirName + "] " + line));
            return new RunningStack(postgres, stack);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    LocalStack stack() {
        return stack;
    }

    Path workDir(String name) {
        return Path.of("target", name).toAbsolutePath();
    }

    @Override
    public void close() {
        List<Long> pids = new ArrayList<>();
        for (PlatformService service : PlatformService.values()) {
            if (stack.app(service) != null) {
                pids.add(stack.app(service).process().pid());
            }
        }
        if (stack.kafka() != null) {
            pids.add(stack.kafka().process().pid());
        }
        stack.close();
        postgres.close();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("process %d still alive", pid).isFalse();
            }
        });
    }
}
