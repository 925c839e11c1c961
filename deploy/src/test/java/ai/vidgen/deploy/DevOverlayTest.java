package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The development overlay: everything the base promises still holds, and the services find the
 * Kafka, PostgreSQL, object store and fal that the overlay itself runs (through the Strimzi and
 * CloudNativePG operators), each service with its own database role, from example secrets only.
 */
class DevOverlayTest extends PlatformManifestsTest {

    private static final Path EXAMPLE_SECRETS = Path.of("overlays", "dev", "secrets", "vidgen-secrets.example.env");

    @Override
    Path kustomization() {
        return Path.of("overlays", "dev");
    }

    @Test
    void everyServiceRunsOneReplica() {
        assertThat(rendered.ofKind("Deployment")).allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt())
                .as(RenderedManifests.name(d)).isEqualTo(1));
    }

    /** Overrides the base's rule: dev generates its Secrets, but only from files that hold examples. */
    @Override
    @Test
    void noSecretIsRendered() {
        List<JsonNode> secrets = rendered.ofKind("Secret");
        assertThat(secrets).extracting(RenderedManifests::name).contains("vidgen-secrets");
        secrets.forEach(s -> s.path("data").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("username")) {
                assertThat(decode(e.getValue())).as(RenderedManifests.name(s) + " " + e.getKey()
                        + " is an obvious example").contains("change-me");
            }
        }));
    }

    /** An operator copying the example gets every key some Deployment of the base reads from vidgen-secrets. */
    @Test
    void theExampleSecretsListEveryKeyTheBaseReads() throws Exception {
        Set<String> read = new TreeSet<>();
        RenderedManifests.of(Path.of("base")).ofKind("Deployment").forEach(d -> container(d).path("env")
                .forEach(env -> {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    if ("vidgen-secrets".equals(ref.path("name").asText())) {
                        read.add(ref.path("key").asText());
                    }
                }));
        assertThat(read).contains("fal-key", "postgres-password", "s3-secret-access-key");
        assertThat(envFile(EXAMPLE_SECRETS).stringPropertyNames()).containsAll(read);
        JsonNode generated = rendered.ofKind("Secret").stream()
                .filter(s -> RenderedManifests.name(s).equals("vidgen-secrets")).findFirst().orElseThrow();
        assertThat(iterable(generated.path("data").fieldNames())).containsAll(read);
    }

    @Test
    void kafkaIsAOneNodeKraftClusterThatRequiresScramWhereTheServicesConnect() {
        JsonNode kafka = only("Kafka");
        JsonNode annotations = kafka.path("metadata").path("annotations");
        assertThat(annotations.path("strimzi.io/kraft").asText()).isEqualTo("enabled");
        assertThat(annotations.path("strimzi.io/node-pools").asText()).isEqualTo("enabled");
        assertThat(kafka.path("spec").path("kafka").path("version").asText()).startsWith("4.1.");
        JsonNode pool = only("KafkaNodePool");
        assertThat(pool.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .isEqualTo(RenderedManifests.name(kafka));
        assertThat(pool.path("spec").path("roles").toString()).contains("controller", "broker");
        assertThat(pool.path("spec").path("replicas").asInt()).isEqualTo(1);

        URI bootstrap = URI.create("kafka://" + platformConfig("kafka-bootstrap-servers"));
        assertThat(bootstrap.getHost()).isEqualTo(RenderedManifests.name(kafka) + "-kafka-bootstrap");
        JsonNode listener = stream(kafka.path("spec").path("kafka").path("listeners"))
                .filter(l -> l.path("port").asInt() == bootstrap.getPort()).findFirst()
                .orElseThrow(() -> new AssertionError("no listener on " + bootstrap.getPort()));
        assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
    }

    /** A topic asking for more replicas, or more in-sync replicas, than there are brokers is never created or never writable. */
    @Test
    void everyTopicFitsTheBrokersThereAre() {
        int brokers = only("KafkaNodePool").path("spec").path("replicas").asInt();
        assertThat(rendered.ofKind("KafkaTopic")).isNotEmpty().allSatisfy(t -> {
            int replicas = t.path("spec").path("replicas").asInt();
            assertThat(replicas).as(RenderedManifests.name(t)).isLessThanOrEqualTo(brokers);
            assertThat(t.path("spec").path("config").path("min.insync.replicas").asInt(1))
                    .as(RenderedManifests.name(t)).isLessThanOrEqualTo(replicas);
        });
    }

    /**
     * Each service logs in to the CloudNativePG primary as the role that owns its database, with the
     * password CloudNativePG set for that role.
     */
    @Test
    void everyServiceOwnsItsDatabaseUnderItsOwnRole() {
        JsonNode cluster = only("Cluster");
        assertThat(cluster.path("spec").path("instances").asInt()).isEqualTo(1);
        assertThat(platformConfig("postgres-host")).isEqualTo(RenderedManifests.name(cluster) + "-rw");
        Map<String, String> passwordSecretOfRole = stream(cluster.path("spec").path("managed").path("roles"))
                .collect(Collectors.toMap(r -> r.path("name").asText(),
                        r -> r.path("passwordSecret").path("name").asText()));
        Set<String> secretsUsed = new TreeSet<>();
        for (JsonNode d : rendered.ofKind("Deployment")) {
            if (!isService(d)) {
                continue;
            }
            String service = RenderedManifests.name(d);
            Map<String, JsonNode> env = env(service);
            String jdbc = env.get("QUARKUS_DATASOURCE_JDBC_URL").path("value").asText();
            String database = jdbc.substring(jdbc.lastIndexOf('/') + 1);
            JsonNode db = rendered.ofKind("Database").stream()
                    .filter(o -> database.equals(o.path("spec").path("name").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": no Database " + database));
            assertThat(db.path("spec").path("cluster").path("name").asText()).isEqualTo(RenderedManifests.name(cluster));
            String owner = db.path("spec").path("owner").asText();
            assertThat(passwordSecretOfRole).as(service + ": a managed role " + owner).containsKey(owner);
            String secret = passwordSecretOfRole.get(owner);
            JsonNode user = env.get("QUARKUS_DATASOURCE_USERNAME").path("valueFrom").path("secretKeyRef");
            JsonNode password = env.get("QUARKUS_DATASOURCE_PASSWORD").path("valueFrom").path("secretKeyRef");
            assertThat(user.path("name").asText()).as(service + " user").isEqualTo(secret);
            assertThat(password.path("name").asText()).as(service + " password").isEqualTo(secret);
            assertThat(password.path("key").asText()).isEqualTo("password");
            assertThat(decode(secretData(secret).path(user.path("key").asText()))).as(service + " logs in as")
                    .isEqualTo(owner);
            secretsUsed.add(secret);
        }
        assertThat(secretsUsed).as("one role per service").hasSize(5);
    }

    @Test
    void videosGoToTheBucketTheOverlayRunsAndCreates() {
        URI endpoint = URI.create(platformConfig("s3-endpoint"));
        assertThat(serviceSelecting(endpoint.getHost(), endpoint.getPort())).as("a Service behind " + endpoint)
                .isTrue();
        assertThat(platformConfig("s3-path-style-access")).isEqualTo("true");
        JsonNode job = only("Job");
        JsonNode c = job.path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, JsonNode> env = stream(c.path("env")).collect(Collectors.toMap(e -> e.path("name").asText(), e -> e));
        assertThat(env.get("S3_BUCKET").path("valueFrom").path("configMapKeyRef").path("key").asText())
                .isEqualTo("s3-bucket");
        assertThat(c.path("args").toString()).contains("$(S3_BUCKET)");
        assertThat(stream(env.values().iterator()).map(e -> e.path("value").asText()).toList())
                .as("the Job writes to the store storage-service uses")
                .anyMatch(v -> v.contains(endpoint.getHost() + ":" + endpoint.getPort()));
        // The store's credentials are storage-service's, so the service can write what the Job created.
        Map<String, JsonNode> storage = env("storage-service");
        for (String variable : List.of("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")) {
            assertThat(env.get(variable).path("valueFrom")).isEqualTo(storage.get("STORAGE_" + variable).path("valueFrom"));
        }
    }

    @Test
    void falAdapterSubmitsToTheEmulatorAndStorageMayDownloadItsClips() {
        URI queue = URI.create(env("fal-adapter").get("FAL_QUEUE_URL").path("value").asText());
        assertThat(serviceSelecting(queue.getHost(), queue.getPort())).as("a Service behind " + queue).isTrue();
        JsonNode emulator = rendered.ofKind("Deployment").stream()
                .filter(d -> container(d).path("image").asText().contains("fal-emulator")).findFirst().orElseThrow();
        assertThat(serviceFor(queue.getHost()).path("spec").path("selector"))
                .isEqualTo(emulator.path("spec").path("selector").path("matchLabels"));
        String publicBase = stream(container(emulator).path("env"))
                .filter(e -> e.path("name").asText().equals("EMULATOR_PUBLIC_BASE_URL")).findFirst().orElseThrow()
                .path("value").asText();
        String clipHost = URI.create(publicBase).getHost() == null ? publicBase.replaceAll("^http://|:\\d+$", "")
                : URI.create(publicBase).getHost();
        Map<String, JsonNode> storage = env("storage-service");
        assertThat(storage).containsKeys("STORAGE_DOWNLOAD_EXTRA_ALLOWED_HOSTS", "STORAGE_DOWNLOAD_INSECURE_HOSTS");
        assertThat(storage.get("STORAGE_DOWNLOAD_EXTRA_ALLOWED_HOSTS").path("value").asText().split(","))
                .contains(clipHost);
        assertThat(storage.get("STORAGE_DOWNLOAD_INSECURE_HOSTS").path("value").asText().split(","))
                .contains(clipHost);
    }

    private boolean serviceSelecting(String host, int port) {
        JsonNode service = serviceFor(host);
        return service != null && stream(service.path("spec").path("ports")).anyMatch(p -> p.path("port").asInt() == port);
    }

    private JsonNode serviceFor(String host) {
        return rendered.ofKind("Service").stream().filter(s -> RenderedManifests.name(s).equals(host)).findFirst()
                .orElse(null);
    }

    private JsonNode only(String kind) {
        List<JsonNode> objects = rendered.ofKind(kind);
        assertThat(objects).as(kind).hasSize(1);
        return objects.get(0);
    }

    private String platformConfig(String key) {
        return rendered.ofKind("ConfigMap").stream().filter(m -> RenderedManifests.name(m).equals("vidgen-platform"))
                .findFirst().orElseThrow().path("data").path(key).asText();
    }

    private JsonNode secretData(String name) {
        return rendered.ofKind("Secret").stream().filter(s -> RenderedManifests.name(s).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Secret " + name)).path("data");
    }

    private static boolean isService(JsonNode deployment) {
        return "vidgen".equals(deployment.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText());
    }

    private static String decode(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }

    static Properties envFile(Path file) throws IOException {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        return stream(it).toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return stream(array.elements());
    }

    private static <T> java.util.stream.Stream<T> stream(java.util.Iterator<T> it) {
        Iterable<T> iterable = () -> it;
        return java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
    }
}
