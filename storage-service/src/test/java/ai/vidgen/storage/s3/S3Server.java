package ai.vidgen.storage.s3;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real S3-compatible server: s3proxy from Maven Central with its file-system backend, in a child
 * JVM on 127.0.0.1. Its jars come from {@code s3-server.classpath} (module test-support/s3-server),
 * so its Jackson, SLF4J and logback never meet Quarkus's. Stopped by {@link #close()}, on JVM exit,
 * and by ManagedProcess's watchdog if this JVM is killed.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "vidgen-test";
    public static final String SECRET_KEY = "vidgen-test-secret";

    private final int port;
    private final Path dir;
    private final ManagedProcess process;

    private S3Server(int port, Path dir, ManagedProcess process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    public static S3Server start() {
        try {
            Path dir = Files.createTempDirectory("vidgen-s3-");
            Path data = Files.createDirectories(dir.resolve("data"));
            int port = FreePorts.allocate();
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + data,
                    ""));
            Path logback = dir.resolve("logback.xml");
            Files.writeString(logback, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <root level="WARN"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
            List<String> command = List.of(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlogback.configurationFile=" + logback, "-cp", classpath(),
                    "org.gaul.s3proxy.Main", "--properties", properties.toString());
            ManagedProcess process = ManagedProcess.start("s3proxy", command, Map.of(), dir, dir.resolve("s3proxy.log"));
            S3Server server = new S3Server(port, dir, process);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3proxy-stop"));
            try {
                process.awaitReady(Duration.ofSeconds(60), server::answers);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare s3proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The objects on s3proxy's disk (its file-system backend keeps one file per object). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    private boolean answers() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true; // any answer (403 without credentials) means it listens
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        process.close();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }

    static String classpath() {
        try (InputStream in = S3Server.class.getResourceAsStream("/s3-server.classpath")) {
            if (in == null) {
                throw new IllegalStateException("s3-server.classpath is missing: build test-support/s3-server first "
                        + "(./mvnw -pl test-support/s3-server install)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
