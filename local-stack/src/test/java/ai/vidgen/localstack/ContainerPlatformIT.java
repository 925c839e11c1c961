package ai.vidgen.localstack;

import static ai.vidgen.localstack.PlatformService.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;

/**
 * The platform from its container images: Kafka, PostgreSQL, the fal emulator and the five
 * services each in a container (Testcontainers, on podman's Docker API here), one generation
 * followed to archived and billed. The proof that the images the build pushes run as they are.
 *
 * <p>It runs when the build made images (the {@code container-images} profile, on when
 * {@code VIDGEN_IMAGE_REGISTRY} is set: scripts/ensure-containers.sh) and a container engine
 * answers; otherwise it is skipped and says why. Every container shares the host's network, as the
 * processes of the local stack do: the links the services hand out (signed video URLs, webhook
 * URLs, the emulator's media) then work both for the containers and for this test.
 */
class ContainerPlatformIT {

    private static final String LABEL = "ai.vidgen.test";
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String PG_USER = "vidgen";

    private static final Path LOGS = Path.of("target", "container-platform").toAbsolutePath();
    private static final List<GenericContainer<?>> STARTED = new ArrayList<>();
    private static final Map<PlatformService, Integer> PORTS = new EnumMap<>(PlatformService.class);
    private static PlatformEnvironment.Credentials credentials;

    @BeforeAll
    static void startPlatformFromImages() throws Exception {
        String registry = System.getenv("VIDGEN_IMAGE_REGISTRY");
        skipUnless(registry != null && !registry.isBlank(),
                "VIDGEN_IMAGE_REGISTRY is not set, so the build made no images (eval \"$(scripts/ensure-containers.sh)\" first)");
        skipUnless(DockerClientFactory.instance().isDockerAvailable(),
                "no container engine answers at DOCKER_HOST=" + System.getenv("DOCKER_HOST"));
        removeLeftoversOfEarlierRuns();
        Files.createDirectories(LOGS);
        for (PlatformService service : PlatformService.values()) {
            PORTS.put(service, FreePorts.allocate());
        }

        int kafkaPort = FreePorts.allocate();
        start(kafka(kafkaPort, FreePorts.allocate()), "kafka", ".*Kafka Server started.*");
        String pgPassword = UUID.randomUUID().toString();
        int pgPort = FreePorts.allocate();
        GenericContainer<?> postgres = start(postgres(pgPort, pgPassword), "postgresql",
                ".*database system is ready to accept connections.*");
        for (PlatformService service : PlatformService.values()) {
            if (service.database() != null) {
                var created = postgres.execInContainer("psql", "-h", "/tmp", "-p", String.valueOf(pgPort), "-U", PG_USER,
                        "-d", "postgres", "-c", "CREATE DATABASE " + service.database());
                assertThat(created.getExitCode()).as(created.getStderr()).isZero();
            }
        }

        credentials = PlatformEnvironment.Credentials.fresh(UUID.randomUUID().toString());
        PlatformEnvironment environment = new PlatformEnvironment("127.0.0.1:" + kafkaPort,
                PostgresServer.external("127.0.0.1", pgPort, PG_USER, pgPassword), ContainerPlatformIT::url,
                credentials, "/tmp/emulator-media", "/tmp/videos", Duration.ofSeconds(2));
        // The emulator and billing first, as the local stack does: the others call them at start-up.
        for (PlatformService service : List.of(FAL_EMULATOR, BILLING, STORAGE, FAL_ADAPTER, DISPATCHER, REQUEST)) {
            GenericContainer<?> app = new GenericContainer<>(imageOf(service))
                    // A rebuild pushes a new image under the same tag (same commit, changed files).
                    .withImagePullPolicy(PullPolicy.alwaysPull())
                    .withEnv(environment.of(service))
                    .withEnv("QUARKUS_HTTP_PORT", String.valueOf(PORTS.get(service)))
                    // Two cores run nine containers here: small heaps, quick start-up.
                    .withEnv("JAVA_TOOL_OPTIONS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            start(app, service.module(), ".*Listening on: http.*");
        }
        for (PlatformService service : PlatformService.values()) {
            await().atMost(STARTUP).until(() -> ready(url(service)));
        }
    }

    @AfterAll
    static void stopEveryContainer() {
        for (int i = STARTED.size() - 1; i >= 0; i--) {
            STARTED.get(i).stop();
        }
        STARTED.clear();
        if (DockerClientFactory.instance().isDockerAvailable()) {
            assertThat(ourContainers()).as("containers left running").isEmpty();
        }
    }

    @Test
    void aGenerationRunsThroughTheImagesToArchivedAndBilled() throws Exception {
        PlatformClient client = new PlatformClient(url(REQUEST), "containers-tenant", credentials.adminToken());
        JsonNode done = new SampleGeneration(client, line -> System.out.println("[containers] " + line))
                .run(Duration.ofMinutes(3));

        assertThat(done.path("status").asText()).as("generation ended with %s", done.path("error"))
                .isEqualTo("completed");
        assertThat(done.path("cost").path("amount_micros").asLong()).isEqualTo(1_120_000L);

        // The signed link serves, from storage-service's container, exactly the bytes fal produced.
        String id = done.path("id").asText();
        byte[] archived = get(done.path("video").path("url").asText());
        assertThat(archived).hasSize(done.path("video").path("bytes").asInt());
        assertThat(sha256(archived)).isEqualTo(done.path("video").path("sha256").asText());
        JsonNode atFal = client.getJson(url(FAL_EMULATOR) + "/_emulator/requests");
        JsonNode falRequest = null;
        for (JsonNode request : atFal) {
            if (request.path("request_id").asText().equals(done.path("fal_request_id").asText())) {
                falRequest = request;
            }
        }
        assertThat(falRequest).as("the emulator's request").isNotNull();
        assertThat(falRequest.path("submissions").asInt()).isEqualTo(1);
        assertThat(sha256(get(falRequest.path("video_url").asText()))).isEqualTo(sha256(archived));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                client.getJson(url(BILLING) + "/v1/ledger?generationId=" + id))
                .extracting(e -> e.path("kind").asText() + " " + e.path("amountMicros").asLong())
                .containsExactly("RESERVE 1120000", "SETTLE 1120000"));
    }

    /** A broker from Apache Kafka's jars (the ones the embedded broker runs) on the base image. */
    private static GenericContainer<?> kafka(int port, int controllerPort) {
        ImageFromDockerfile image = new ImageFromDockerfile("localhost/vidgen/kafka-it", true);
        List<String> jars = new ArrayList<>();
        for (String jar : KafkaBroker.classpath().split(java.io.File.pathSeparator)) {
            Path path = Path.of(jar);
            jars.add(path.getFileName().toString());
            image.withFileFromPath("libs/" + path.getFileName(), path);
        }
        assertThat(jars).anyMatch(jar -> jar.startsWith("kafka_"));
        image.withDockerfileFromBuilder(file -> file.from(baseImage()).copy("libs/", "/opt/kafka/libs/").user("185")
                .build());
        String config = KafkaBroker.serverProperties(port, controllerPort, "/tmp/kafka-data", 3);
        String java = "java -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '/opt/kafka/libs/*' ";
        return new GenericContainer<>(image)
                .withCopyToContainer(Transferable.of(config), "/tmp/server.properties")
                .withCommand("sh", "-c", java + "kafka.tools.StorageTool format --cluster-id="
                        + KafkaBroker.randomClusterId() + " -c /tmp/server.properties && exec " + java
                        + "kafka.Kafka /tmp/server.properties");
    }

    /** PostgreSQL 15 from Debian's packages, password authentication over TCP. */
    private static GenericContainer<?> postgres(int port, String password) {
        String image = System.getenv().getOrDefault("VIDGEN_POSTGRES_IMAGE", "localhost/vidgen/postgresql:15");
        return new GenericContainer<>(image)
                .withCopyToContainer(Transferable.of(password), "/tmp/pg-password")
                .withCommand("sh", "-c", "initdb -D /tmp/pgdata -U " + PG_USER + " --pwfile=/tmp/pg-password"
                        + " --auth-local=trust --auth-host=scram-sha-256 >/dev/null && exec postgres -D /tmp/pgdata"
                        + " -p " + port + " -k /tmp -c listen_addresses=127.0.0.1");
    }

    private static GenericContainer<?> start(GenericContainer<?> container, String name, String readyLine) {
        Path log = LOGS.resolve(name + ".log");
        container.withNetworkMode("host")
                .withLabel(LABEL, "container-platform")
                .withLogConsumer((OutputFrame frame) -> append(log, frame.getUtf8String()))
                .waitingFor(Wait.forLogMessage(readyLine + "\\n?", 1).withStartupTimeout(STARTUP));
        STARTED.add(container);
        container.start();
        System.out.println("[containers] " + name + " started from " + container.getDockerImageName()
                + " (log: " + log + ")");
        return container;
    }

    /** The image the build pushed for this module, as Quarkus recorded it next to the application. */
    private static String imageOf(PlatformService service) {
        Path root = Path.of(System.getProperty("vidgen.project.root", "..")).toAbsolutePath().normalize();
        Path artifact = root.resolve(service.module()).resolve("target/quarkus-artifact.properties");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(artifact)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no build record of " + service.module() + "'s image: " + artifact, e);
        }
        String image = properties.getProperty("metadata.container-image");
        assertThat(image).as("%s was built without an image (%s)", service.module(), artifact).isNotBlank();
        return image;
    }

    private static String baseImage() {
        return System.getenv().getOrDefault("VIDGEN_BASE_IMAGE", "localhost/vidgen/debian-jre:17");
    }

    private static String url(PlatformService service) {
        return "http://127.0.0.1:" + PORTS.get(service);
    }

    private static boolean ready(String baseUrl) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
        return response.body();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Containers of an earlier run that was killed before it could stop them. */
    private static void removeLeftoversOfEarlierRuns() {
        for (var container : ourContainers()) {
            DockerClientFactory.instance().client().removeContainerCmd(container.getId()).withForce(true).exec();
        }
    }

    private static List<com.github.dockerjava.api.model.Container> ourContainers() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, "container-platform")).exec();
    }

    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("[containers] SKIPPED ContainerPlatformIT: " + reason);
        }
        assumeTrue(condition, reason);
    }
}
