package ai.vidgen.testsupport.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Apache Kafka broker in KRaft mode, run from its Maven Central jars in a
 * child JVM. The jars' paths come from {@code kafka-server.classpath}, written by this module's
 * build, so the broker's own dependencies never meet the caller's.
 */
public record KafkaBroker(int port, Path dataDir, ManagedProcess process, boolean deleteDataOnClose)
        implements AutoCloseable {

    private static final String READY_LINE = "Kafka Server started";

    /** A throwaway broker on free ports whose data is deleted when it stops. */
    public static KafkaBroker startThrowaway(int partitions) {
        try {
            Path dir = Files.createTempDirectory("vidgen-kafka-");
            return start(dir, FreePorts.allocate(), FreePorts.allocate(), partitions, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A broker on the given ports keeping its data in {@code dir}; formats the storage on first use,
     * so a restart keeps every topic and committed offset.
     */
    public static KafkaBroker start(Path dir, int port, int controllerPort, int partitions, boolean deleteDataOnClose) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Path data = dir.resolve("data");
            Files.writeString(config, serverProperties(port, controllerPort, data.toString(), partitions));
            String classpath = classpath();
            if (!Files.exists(data.resolve("meta.properties"))) {
                format(classpath, config, dir);
            }
            List<String> command = new ArrayList<>(List.of(javaBin(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-cp", classpath, "kafka.Kafka", config.toString()));
            ManagedProcess process = ManagedProcess.start("kafka", command, Map.of(), dir, dir.resolve("kafka.log"));
            KafkaBroker broker = new KafkaBroker(port, dir, process, deleteDataOnClose);
            process.awaitReady(Duration.ofSeconds(90), () -> process.logContains(READY_LINE));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker in " + dir, e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
        if (deleteDataOnClose) {
            Directories.deleteQuietly(dataDir);
        }
    }

    private static void format(String classpath, Path config, Path dir) {
        List<String> command = List.of(javaBin(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "kafka.tools.StorageTool", "format", "--cluster-id=" + randomClusterId(), "-c", config.toString());
        try (ManagedProcess format = ManagedProcess.start("kafka-storage-format", command, Map.of(), dir,
                dir.resolve("format.log"))) {
            format.awaitReady(Duration.ofSeconds(60), () -> !format.isAlive());
            if (!format.logContains("Formatting")) {
                throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20));
            }
        }
    }

    /**
     * The configuration of a single-node broker and controller on loopback, keeping its log in
     * {@code dataDir}; the container test runs its image with the same.
     */
    public static String serverProperties(int port, int controllerPort, String dataDir, int partitions) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                "num.partitions=" + partitions,
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") ;
    }

    /** The broker's jars (Apache Kafka's, from Maven Central), as a class path. */
    public static String classpath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("/kafka-server.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-server.classpath is missing: build test-support with Maven first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A Kafka cluster id (16 random bytes, URL-safe base64). It may start with '-', which is why
     * it is passed as {@code --cluster-id=<id>}: as a separate argument the tool reads it as an option.
     */
    public static String randomClusterId() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
