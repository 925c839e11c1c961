package ai.vidgen.testsupport.quarkus;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test at a real Kafka broker (KRaft), started once per test JVM. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared by the test classes of this JVM and stops with it.
    }
}
