package ai.vidgen.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.vidgen.events.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Strimzi topics component against what the services use: a topic for every name in the event
 * contracts, enough partitions for every replica of a consumer group to get one, and the events
 * kept for ever, since billing's ledger is rebuilt by replaying them.
 */
class KafkaTopicsTest {

    private static final Map<String, JsonNode> topics = new HashMap<>();
    private static int mostReplicas;

    @BeforeAll
    static void render() throws Exception {
        RenderedManifests.of(Path.of("components", "strimzi-topics")).ofKind("KafkaTopic")
                .forEach(t -> topics.put(t.path("spec").path("topicName").asText(RenderedManifests.name(t)), t));
        mostReplicas = RenderedManifests.of(Path.of("base")).ofKind("Deployment").stream()
                .mapToInt(d -> d.path("spec").path("replicas").asInt(1)).max().orElseThrow();
    }

    @Test
    void everyTopicTheServicesUseIsDeclared() throws IllegalAccessException {
        List<String> used = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                used.add((String) f.get(null));
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(topics).containsOnlyKeys(used.toArray(String[]::new));
    }

    @Test
    void generationEventsAreKeptForReplay() {
        JsonNode config = topics.get(Topics.GENERATION_EVENTS).path("spec").path("config");
        assertThat(config.path("retention.ms").asLong()).isEqualTo(-1);
        assertThat(config.path("retention.bytes").asLong(-1)).isEqualTo(-1);
        assertThat(config.path("cleanup.policy").asText()).isEqualTo("delete");
    }

    @Test
    void everyConsumedTopicHasAPartitionForEveryReplica() {
        for (String consumed : Arrays.asList(Topics.GENERATION_EVENTS, Topics.GENERATION_COMMANDS,
                Topics.GENERATION_REPLIES)) {
            assertThat(topics.get(consumed).path("spec").path("partitions").asInt()).as(consumed)
                    .isGreaterThanOrEqualTo(mostReplicas);
        }
    }

    /** A write is acknowledged by more than one broker, and one broker may be down without stopping writes. */
    @Test
    void writesSurviveTheLossOfABroker() {
        topics.forEach((name, t) -> {
            int replicas = t.path("spec").path("replicas").asInt();
            int minInSync = t.path("spec").path("config").path("min.insync.replicas").asInt(1);
            assertThat(minInSync).as(name + " min.insync.replicas").isGreaterThanOrEqualTo(2);
            assertThat(replicas).as(name + " replicas").isGreaterThan(minInSync);
        });
    }
}
