package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The KafkaUsers of components/strimzi-users, as the dev overlay uses them: every service logs in
 * as its own user, and that user may read, write and join exactly the topics and consumer groups
 * the service's Kafka configuration names: the platform's KafkaDefaults overlaid with the
 * service's application.properties (the modules beside deploy/). A channel added to a service
 * without its ACL, or an ACL left over, fails here rather than as an authorization error in a cluster.
 */
class KafkaUsersTest {

    private static final Path MODULES = Path.of("..");
    private static final Path KAFKA_DEFAULTS = MODULES.resolve(
            "platform/src/main/java/ai/vidgen/platform/messaging/KafkaDefaults.java");
    private static final Pattern CHANNEL_KEY = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(.+)");

    /** What a service's Kafka clients touch. */
    record Access(Set<String> reads, Set<String> writes, Set<String> groups, Set<String> transactionalIds) {
        Access() {
            this(new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>());
        }
    }

    private static RenderedManifests dev;
    private static final Map<String, JsonNode> users = new HashMap<>();
    private static final Map<String, JsonNode> services = new HashMap<>();

    @BeforeAll
    static void render() throws Exception {
        dev = RenderedManifests.of(Path.of("overlays", "dev"));
        dev.ofKind("KafkaUser").forEach(u -> users.put(RenderedManifests.name(u), u));
        dev.ofKind("Deployment").stream()
                .filter(d -> "vidgen".equals(d.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText()))
                .forEach(d -> services.put(RenderedManifests.name(d), d));
        assertThat(services).hasSize(5);
    }

    @Test
    void everyServiceLogsInWithItsOwnUsersSecret() {
        Set<String> loggedInAs = new TreeSet<>();
        services.forEach((service, d) -> {
            Map<String, JsonNode> env = env(d);
            assertThat(env.get("KAFKA_SECURITY_PROTOCOL").path("value").asText()).as(service).startsWith("SASL_");
            assertThat(env.get("KAFKA_SASL_MECHANISM").path("value").asText()).as(service).isEqualTo("SCRAM-SHA-512");
            JsonNode ref = env.get("KAFKA_SASL_JAAS_CONFIG").path("valueFrom").path("secretKeyRef");
            // Strimzi's user operator writes each user's credentials to a Secret named after the user.
            assertThat(users).as(service + " logs in as a KafkaUser").containsKey(ref.path("name").asText());
            assertThat(ref.path("key").asText()).isEqualTo("sasl.jaas.config");
            JsonNode user = users.get(ref.path("name").asText());
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .isEqualTo(RenderedManifests.name(dev.ofKind("Kafka").get(0)));
            loggedInAs.add(ref.path("name").asText());
        });
        assertThat(loggedInAs).as("no two services share a user").hasSameSizeAs(services.keySet());
        assertThat(users.keySet()).as("no user without a service").isEqualTo(loggedInAs);
    }

    @Test
    void everyUserMayTouchExactlyWhatItsServiceIsConfiguredToUse() throws IOException {
        Map<String, String> defaults = platformDefaults();
        assertThat(defaults).as("KafkaDefaults parsed").containsKey("mp.messaging.incoming.generation-events.topic");
        for (Map.Entry<String, JsonNode> service : services.entrySet()) {
            Access needed = access(defaults, service.getKey());
            String userName = env(service.getValue()).get("KAFKA_SASL_JAAS_CONFIG").path("valueFrom")
                    .path("secretKeyRef").path("name").asText();
            Access granted = new Access();
            JsonNode authorization = users.get(userName).path("spec").path("authorization");
            assertThat(authorization.path("type").asText()).isEqualTo("simple");
            for (JsonNode acl : authorization.path("acls")) {
                String what = service.getKey() + " ACL " + acl;
                JsonNode resource = acl.path("resource");
                assertThat(resource.path("patternType").asText("literal")).as(what).isEqualTo("literal");
                assertThat(acl.path("type").asText("allow")).as(what).isEqualTo("allow");
                Set<String> operations = new TreeSet<>();
                acl.path("operations").forEach(o -> operations.add(o.asText()));
                String name = resource.path("name").asText();
                switch (resource.path("type").asText()) {
                    case "topic" -> {
                        assertThat(operations).as(what).isSubsetOf("Read", "Write", "Describe").contains("Describe");
                        if (operations.contains("Read")) {
                            granted.reads().add(name);
                        }
                        if (operations.contains("Write")) {
                            granted.writes().add(name);
                        }
                    }
                    case "group" -> {
                        assertThat(operations).as(what).containsExactly("Read");
                        granted.groups().add(name);
                    }
                    case "transactionalId" -> {
                        assertThat(operations).as(what).isSubsetOf("Write", "Describe").contains("Write");
                        granted.transactionalIds().add(name);
                    }
                    default -> throw new AssertionError("a resource no service needs: " + what);
                }
            }
            assertThat(granted).as(service.getKey() + " (user " + userName + ")").isEqualTo(needed);
        }
    }

    /** The channels of a service and the topics, groups and transactional ids they use. */
    static Access access(Map<String, String> defaults, String service) throws IOException {
        Map<String, String> config = new HashMap<>(defaults);
        Properties own = new Properties();
        try (Reader reader = Files.newBufferedReader(
                MODULES.resolve(service).resolve("src/main/resources/application.properties"))) {
            own.load(reader);
        }
        // The packaged service runs the default profile: %dev. and %test. settings do not apply.
        own.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> config.put(k, own.getProperty(k)));
        String application = config.getOrDefault("quarkus.application.name", service);
        config.replaceAll((k, v) -> v.replace("${quarkus.application.name}", application));

        Map<String, Map<String, String>> channels = new HashMap<>();
        config.forEach((key, value) -> {
            Matcher m = CHANNEL_KEY.matcher(key);
            if (m.matches()) {
                channels.computeIfAbsent(m.group(1) + " " + m.group(2), c -> new HashMap<>()).put(m.group(3), value);
            }
        });
        Access access = new Access();
        channels.forEach((id, channel) -> {
            if ("false".equals(channel.get("enabled")) || !"smallrye-kafka".equals(channel.get("connector"))) {
                return;
            }
            String name = id.substring(id.indexOf(' ') + 1);
            List<String> topics = channel.containsKey("topics") ? List.of(channel.get("topics").split("\\s*,\\s*"))
                    : List.of(channel.getOrDefault("topic", name));
            if (id.startsWith("incoming")) {
                access.reads().addAll(topics);
                // Quarkus's default group id is the application's name.
                access.groups().add(channel.getOrDefault("group.id", config.getOrDefault("kafka.group.id", application)));
                if ("dead-letter-queue".equals(channel.get("failure-strategy"))) {
                    access.writes().add(channel.getOrDefault("dead-letter-queue.topic", "dead-letter-topic-" + name));
                }
            } else {
                access.writes().addAll(topics);
            }
            if (channel.containsKey("transactional.id")) {
                access.transactionalIds().add(channel.get("transactional.id"));
            }
        });
        return access;
    }

    /** The settings the platform's config source gives every service, read from its source. */
    static Map<String, String> platformDefaults() throws IOException {
        String source = Files.readString(KAFKA_DEFAULTS);
        Map<String, String> constants = new HashMap<>();
        Matcher c = Pattern.compile("static final String (\\w+) = \"([^\"]*)\";").matcher(source);
        while (c.find()) {
            constants.put(c.group(1), c.group(2));
        }
        Map<String, String> defaults = new HashMap<>();
        Matcher e = Pattern.compile("Map\\.entry\\(\\s*(?:(\\w+)\\s*\\+\\s*)?\"([^\"]+)\"\\s*,\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*\\)")
                .matcher(source);
        while (e.find()) {
            String prefix = e.group(1) == null ? "" : constants.get(e.group(1));
            assertThat(prefix).as("constant " + e.group(1)).isNotNull();
            defaults.put(prefix + e.group(2), e.group(3));
        }
        return defaults;
    }

    private static Map<String, JsonNode> env(JsonNode deployment) {
        Map<String, JsonNode> env = new HashMap<>();
        PlatformManifestsTest.container(deployment).path("env").forEach(v -> env.put(v.path("name").asText(), v));
        return env;
    }
}
