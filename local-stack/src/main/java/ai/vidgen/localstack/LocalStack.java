package ai.vidgen.localstack;

import static ai.vidgen.localstack.PlatformService.*;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.QuarkusApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The whole platform on one machine: a real Kafka broker (KRaft), PostgreSQL, the fal emulator
 * and the five services as real processes of their packaged applications. Closing it stops
 * every process it started.
 */
public final class LocalStack implements AutoCloseable {

    private final StackSettings settings;
    private final PlatformEnvironment.Credentials credentials;
    private final Consumer<String> log;
    private final Map<PlatformService, QuarkusApp> apps = new EnumMap<>(PlatformService.class);
    private final List<QuarkusApp> replicas = new ArrayList<>();
    private volatile KafkaBroker kafka;

    private LocalStack(StackSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.credentials = PlatformEnvironment.Credentials.fresh("local-stack:" + settings.workDir().toAbsolutePath());
        this.log = log;
    }

    public static LocalStack start(StackSettings settings, Consumer<String> log) {
        LocalStack stack = new LocalStack(settings, log);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        checkPortsFree();
        Path logs = settings.workDir().resolve("logs");
        mkdirs(logs);
        log.accept("Kafka: starting a KRaft broker on 127.0.0.1:" + settings.kafkaPort());
        kafka = settings.kafkaDir() == null
                ? KafkaBroker.startThrowaway(3)
                : KafkaBroker.start(settings.kafkaDir(), settings.kafkaPort(), settings.kafkaControllerPort(), 3, false);
        log.accept("PostgreSQL: " + settings.postgres().host() + ":" + settings.postgres().port()
                + ", one database per service");
        for (PlatformService service : PlatformService.values()) {
            if (service.database() != null) {
                settings.postgres().ensureDatabase(service.database());
            }
        }
        // The emulator and billing first (others call them at start-up or soon after);
        // then the rest together, since each takes a few seconds to boot.
        startApp(FAL_EMULATOR, logs);
        startApp(BILLING, logs);
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (PlatformService service : List.of(STORAGE, FAL_ADAPTER, DISPATCHER, REQUEST)) {
            rest.add(CompletableFuture.runAsync(() -> startApp(service, logs)));
        }
        try {
            CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void startApp(PlatformService service, Path logs) {
        QuarkusApp app = launch(service, service.module(), settings.port(service), logs);
        synchronized (apps) {
            apps.put(service, app);
        }
    }

    private QuarkusApp launch(PlatformService service, String name, int port, Path logs) {
        Path module = settings.projectRoot().resolve(service.module());
        QuarkusApp app = QuarkusApp.start(name, module, port, environment(service), logs, "256m");
        log.accept(String.format("%-19s up at %s (log: %s)", name, app.baseUrl(), app.process().log()));
        return app;
    }

    /**
     * Starts one more instance of {@code service} on a free port, sharing its database and
     * consumer group, as a second Kubernetes replica would. Closed with the stack.
     */
    public QuarkusApp startReplica(PlatformService service, String name) {
        QuarkusApp replica = launch(service, name, FreePorts.allocate(), settings.workDir().resolve("logs"));
        synchronized (replicas) {
            replicas.add(replica);
        }
        return replica;
    }

    /** SIGKILLs the service's main instance, as a crash would, and starts it again on its port. */
    public QuarkusApp crashAndRestart(PlatformService service) {
        QuarkusApp crashed;
        synchronized (apps) {
            crashed = apps.remove(service);
        }
        crashed.process().kill();
        log.accept(service.module() + " killed (SIGKILL); starting it again");
        startApp(service, settings.workDir().resolve("logs"));
        return app(service);
    }

    /**
     * SIGKILLs the broker, as a crash would, and starts it again on the same data and ports: every
     * topic and committed offset survives, as on a broker with persistent volumes. Needs a stack
     * whose broker keeps its data ({@link StackSettings#kafkaDir()}).
     */
    public void crashAndRestartBroker() {
        if (settings.kafkaDir() == null) {
            throw new IllegalStateException("a throwaway broker cannot be restarted: give the stack a Kafka directory");
        }
        kafka.process().kill();
        log.accept("Kafka killed (SIGKILL); starting it again on its data");
        kafka = KafkaBroker.start(settings.kafkaDir(), settings.kafkaPort(), settings.kafkaControllerPort(), 3, false);
    }

    /** Each application's configuration, as the environment variables a deployment would set. */
    Map<String, String> environment(PlatformService service) {
        Map<String, String> env = new HashMap<>(new PlatformEnvironment(kafka.bootstrapServers(), settings.postgres(),
                settings::url, credentials, settings.workDir().resolve("emulator-media").toString(),
                videosDir().toString(), settings.inferenceTime()).of(service));
        env.putAll(settings.overrides().getOrDefault(service, Map.of()));
        return env;
    }

    /**
     * Writes this run's admin token to a file only its owner can read (never to the console or a
     * log) and returns the file.
     */
    public Path writeAdminToken(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, credentials.adminToken() + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The operators' bearer token of this run (admin views of the services). */
    public String adminToken() {
        return credentials.adminToken();
    }

    public Path videosDir() {
        return settings.workDir().resolve("videos").toAbsolutePath();
    }

    public String url(PlatformService service) {
        return settings.url(service);
    }

    public QuarkusApp app(PlatformService service) {
        synchronized (apps) {
            return apps.get(service);
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    private void checkPortsFree() {
        List<String> busy = new ArrayList<>();
        settings.ports().forEach((service, port) -> {
            if (listening(port)) {
                busy.add(service.module() + " " + port);
            }
        });
        if (settings.kafkaDir() != null && listening(settings.kafkaPort())) {
            busy.add("kafka " + settings.kafkaPort());
        }
        if (!busy.isEmpty()) {
            throw new IllegalStateException("ports already in use: " + String.join(", ", busy)
                    + ". Is another stack running? Stop it, or choose other ports.");
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the services first (they drain and commit), then the broker. */
    @Override
    public void close() {
        List<PlatformService> order = new ArrayList<>(List.of(REQUEST, DISPATCHER, FAL_ADAPTER, STORAGE, BILLING,
                FAL_EMULATOR));
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PlatformService service : order) {
            QuarkusApp app;
            synchronized (apps) {
                app = apps.remove(service);
            }
            if (app != null) {
                stops.add(CompletableFuture.runAsync(app::close));
            }
        }
        synchronized (replicas) {
            replicas.forEach(replica -> stops.add(CompletableFuture.runAsync(replica::close)));
            replicas.clear();
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }
}
