package ai.vidgen.billing;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** For the failsafe tests: billing-service's packaged jar run as a process, and where a topic ends. */
final class PackagedBilling {

    static final Path MODULE = Path.of("").toAbsolutePath();
    /** The operators' token the tests present: the second of the list, as while a token is rotated. */
    static final String ADMIN_TOKEN = "it-admin-token";
    /** The token the tests present as the dispatcher or the request-service. */
    static final String SERVICE_TOKEN = "it-service-token";
    static final Path LOGS = MODULE.resolve("target/it-logs");

    private PackagedBilling() {
    }

    /**
     * Starts {@code target/quarkus-app} on a free port and returns once it is ready, with the
     * platform's credentials as a deployment gives them: comma-separated lists in the environment.
     */
    static QuarkusApp start(String name, PostgresServer postgres, String database, String bootstrap, String group) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("MP_MESSAGING_INCOMING_GENERATION_EVENTS_GROUP_ID", group);
        env.put("VIDGEN_AUTH_ADMIN_TOKENS", "it-admin-token-previous," + ADMIN_TOKEN);
        env.put("VIDGEN_AUTH_SERVICE_TOKENS", SERVICE_TOKEN + ",it-service-token-next");
        return QuarkusApp.start(name, MODULE, FreePorts.allocate(), env, LOGS, "256m");
    }

    /** The end offset of every partition of the topic. */
    static Map<TopicPartition, Long> endOffsets(KafkaCompanion kafka, String topic) throws Exception {
        var description = kafka.getOrCreateAdminClient().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return kafka.offsets().list(latest).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
