package ai.vidgen.testsupport.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A packaged Quarkus application ({@code target/quarkus-app/quarkus-run.jar}) run as a real
 * process, configured through environment variables, ready once its health endpoint answers UP.
 */
public record QuarkusApp(String name, int httpPort, ManagedProcess process) implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Starts the app in {@code moduleDir} and waits for {@code /q/health/ready}.
     *
     * @param environment configuration as environment variables (e.g. {@code KAFKA_BOOTSTRAP_SERVERS})
     */
    public static QuarkusApp start(String name, Path moduleDir, int httpPort, Map<String, String> environment,
            Path logDir, String maxHeap) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the project first (./mvnw package -DskipTests)");
        }
        List<String> command = new ArrayList<>(List.of(KafkaBroker.javaBin(), "-Xmx" + maxHeap,
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=" + httpPort,
                "-jar", jar.toString()));
        ManagedProcess process = ManagedProcess.start(name, command, environment, moduleDir,
                logDir.resolve(name + ".log"));
        QuarkusApp app = new QuarkusApp(name, httpPort, process);
        try {
            process.awaitReady(Duration.ofSeconds(120), app::isReady);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return app;
    }

    public boolean isReady() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    @Override
    public void close() {
        process.close();
    }
}
