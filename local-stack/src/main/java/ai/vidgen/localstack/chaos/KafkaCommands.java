package ai.vidgen.localstack.chaos;

import ai.vidgen.events.Topics;
import ai.vidgen.events.commands.CommandSignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The upstream system of the workload: submits generations as signed CloudEvents commands
 * (binary mode) and reads the request-service's replies, matched by correlation id. It also
 * writes a few records that are not commands at all, the only ones the dead-letter topic may hold.
 */
final class KafkaCommands implements AutoCloseable {

    static final String KEY_ID = "chaos-upstream";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secret;
    private final KafkaProducer<String, String> producer;
    private final Supplier<String> bootstrap;
    private final AtomicInteger undecodable = new AtomicInteger();
    private volatile Consumer<Reply> onReply = reply -> { };
    private volatile boolean running = true;
    private final Thread replies;

    /** A command's answer: accepted with its generation, or rejected with a reason. */
    record Reply(int index, boolean accepted, String generationId, String reason) {
    }

    KafkaCommands(Supplier<String> bootstrap, String secret) {
        this.bootstrap = bootstrap;
        this.secret = secret;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A broker restart takes a while here: keep retrying rather than drop a command.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(5).toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        replies = new Thread(this::readReplies, "chaos-replies");
        replies.setDaemon(true);
        replies.start();
    }

    /** The producer key the request-service must know: this workload acts for every chaos tenant. */
    static String producerKeys(String secret) {
        return KEY_ID + ":" + secret + ":" + String.join("|", GenerationMix.TENANTS);
    }

    void onReply(Consumer<Reply> handler) {
        this.onReply = handler;
    }

    void submit(PlannedGeneration generation, String body) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", "chaos-command-" + generation.index());
        header(headers, "ce_source", "/chaos/upstream");
        header(headers, "ce_type", "ai.vidgen.command.generation.submit");
        header(headers, "ce_tenantid", generation.tenant());
        header(headers, "ce_idempotencykey", generation.idempotencyKey());
        header(headers, "ce_correlationid", generation.idempotencyKey());
        header(headers, "content-type", "application/json");
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GENERATION_COMMANDS, null,
                generation.idempotencyKey(), body, headers);
        producer.send(CommandSignature.sign(record, KEY_ID, secret));
    }

    /** Writes a record no consumer can read as a command; it must end in the dead-letter topic. */
    void submitUndecodable() {
        producer.send(new ProducerRecord<>(Topics.GENERATION_COMMANDS, "chaos-garbage-" + undecodable.incrementAndGet(),
                "this is not a CloudEvent {"));
    }

    int undecodableSent() {
        return undecodable.get();
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    private void readReplies() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.GENERATION_REPLIES));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    parse(record).ifPresent(reply -> onReply.accept(reply));
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException stopped) {
            // closing
        }
    }

    private static Optional<Reply> parse(ConsumerRecord<String, String> record) {
        if (record.key() == null || !record.key().startsWith("chaos-") || record.key().startsWith("chaos-garbage")) {
            return Optional.empty();
        }
        try {
            int index = Integer.parseInt(record.key().substring("chaos-".length()));
            JsonNode event = JSON.readTree(record.value());
            JsonNode data = event.path("data");
            boolean accepted = "accepted".equals(data.path("status").asText());
            return Optional.of(new Reply(index, accepted, data.path("generation_id").asText(null),
                    data.path("reason").asText(null)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Everything in the dead-letter topic, by record key. */
    Map<String, Long> deadLetters() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "chaos-audit-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Long> byKey = new TreeMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.DEAD_LETTERS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    byKey.merge(String.valueOf(record.key()), 1L, Long::sum);
                }
            }
        }
        return byKey;
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(10));
        try {
            replies.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
