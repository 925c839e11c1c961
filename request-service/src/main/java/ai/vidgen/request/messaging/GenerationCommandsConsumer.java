package ai.vidgen.request.messaging;

import ai.vidgen.events.commands.CommandSignature;
import ai.vidgen.platform.messaging.Delivery;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.request.GenerationIntake;
import ai.vidgen.request.GenerationIntake.Outcome;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.persistence.GenerationRepository;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Kafka ingest for upstream systems: submit and cancel commands as CloudEvents on
 * {@code generation-commands}, each answered on {@code generation-replies} keyed by the
 * producer's correlation id. A submit goes through the same {@link GenerationIntake} as
 * {@code POST /v1/generations}: the same validation, the same idempotency (the producer's
 * {@code idempotencykey} extension, else the event id, per tenant).
 *
 * <p>A command acts for its {@code tenantid} only when the record is signed with a producer key
 * that may act for that tenant ({@link CommandSignatureVerifier}); otherwise it is answered
 * rejected and nothing is stored or published. A cancel then reaches only that tenant's
 * generations, as over HTTP.
 *
 * <p>Records go through the platform's consumer template ({@link EventConsumers}): an undecodable
 * record (not a CloudEvent) is dead-lettered with the reason in its headers and the partition moves
 * on; a failure that waiting can fix (database or broker down) is retried with backoff holding the
 * partition, so no command is dropped; the handling continues the producer's trace when the
 * command carries a {@code traceparent}. The incoming offset is committed only after the reply is
 * acknowledged by the broker.
 */
@ApplicationScoped
public class GenerationCommandsConsumer {

    public static final String ACCEPTED = "ai.vidgen.command.generation.accepted";
    public static final String REJECTED = "ai.vidgen.command.generation.rejected";
    /** The consumer's name in the template's logs, spans and metrics. */
    static final String CONSUMER = "commands";

    private static final Logger LOG = Logger.getLogger(GenerationCommandsConsumer.class);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final EventConsumers consumers;
    private final CommandSignatureVerifier signatures;
    private final GenerationIntake intake;
    private final GenerationRepository generations;
    private final MutinyEmitter<String> replies;
    private final MeterRegistry registry;

    public GenerationCommandsConsumer(EventConsumers consumers, CommandSignatureVerifier signatures,
            GenerationIntake intake, GenerationRepository generations,
            @Channel("replies-out") MutinyEmitter<String> replies, MeterRegistry registry) {
        this.consumers = consumers;
        this.signatures = signatures;
        this.intake = intake;
        this.generations = generations;
        this.replies = replies;
        this.registry = registry;
    }

    /** A decoded command and the producer its signature proves (or why it proves none). */
    record Received(GenerationCommand command, CommandProducer producer) {
    }

    @Incoming("generation-commands")
    public Uni<Void> consume(Message<String> message) {
        return consumers.consume(CONSUMER, message, this::delivery, delivery -> handle(delivery.value()));
    }

    /**
     * The command of a record, as the template sees it.
     *
     * <p>The key the template skips repeats on is the command's {@code source|id} and the record's
     * position: a redelivery of the same record (after a rebalance) is not answered twice, while a
     * producer that sends the same command again gets its answer again ({@code replayed: true}),
     * as the ingest's contract says. Skipping on {@code source|id} alone would leave that
     * producer without an answer.
     *
     * @throws UndecodableCommandException when the record is not a CloudEvent we can read
     */
    Delivery<Received> delivery(Message<String> message) {
        Optional<IncomingKafkaRecordMetadata> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class);
        String key = kafka.map(k -> Objects.toString(k.getKey(), null)).orElse(null);
        Headers headers = kafka.map(IncomingKafkaRecordMetadata::getHeaders).orElse(null);
        GenerationCommand command = CommandDecoder.decode(key, message.getPayload(), headers);
        CommandProducer producer = signatures.verify(key, message.getPayload(), headers);
        String dedupKey = command.source() + "|" + command.eventId()
                + kafka.map(k -> "@" + k.getPartition() + ":" + k.getOffset()).orElse("");
        return new Delivery<>(new Received(command, producer), dedupKey, command.type(), command.generationId(),
                command.trace());
    }

    /** Answers the command and waits for the broker to acknowledge the reply. */
    Uni<Void> handle(Received received) {
        GenerationCommand command = received.command();
        return answer(command, received.producer()).chain(reply -> send(command.correlationId(), reply).invoke(() -> count(
                reply.get("type").asText().equals(ACCEPTED) ? "accepted" : "rejected", command.type())));
    }

    /**
     * The reply CloudEvent for a decoded command. Who sent it comes first: an unsigned command, or
     * one whose key may not act for its tenant, is refused before anything reads its data.
     */
    Uni<ObjectNode> answer(GenerationCommand command, CommandProducer producer) {
        if (producer instanceof CommandProducer.Unverified unverified) {
            LOG.warnf("%s: refusing command %s from %s (%s): %s", CONSUMER, command.eventId(), command.source(),
                    unverified.reason(), unverified.detail());
            return Uni.createFrom().item(rejected(command, unverified.reason(), "Command not signed by a known producer",
                    unverified.detail(), List.of(headerError(unverified.reason()))));
        }
        CommandProducer.Verified verified = (CommandProducer.Verified) producer;
        String tenant = command.tenantId();
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            return Uni.createFrom().item(rejected(command, "invalid_command", "Invalid command",
                    "the tenantid extension is required: 1 to 64 letters, digits, '.', '_' or '-'",
                    List.of(attributeError("tenantid", tenant == null ? "tenantid is required" : "not a tenant id"))));
        }
        if (!verified.mayActFor(tenant)) {
            LOG.warnf("%s: refusing command %s: key %s may not act for tenant %s", CONSUMER, command.eventId(),
                    verified.keyId(), tenant);
            return Uni.createFrom().item(rejected(command, "tenant_not_allowed", "Tenant not allowed for this producer",
                    "producer key '" + verified.keyId() + "' may not act for tenant " + tenant,
                    List.of(attributeError("tenantid", "not a tenant of producer key '" + verified.keyId() + "'"))));
        }
        return switch (command.type()) {
            case GenerationCommand.SUBMIT -> submit(command, tenant);
            case GenerationCommand.CANCEL -> cancel(command, tenant);
            default -> Uni.createFrom().item(rejected(command, "unsupported_type", "Unknown command type",
                    "type must be " + GenerationCommand.SUBMIT + " or " + GenerationCommand.CANCEL,
                    List.of(attributeError("type", "unknown command type " + command.type()))));
        };
    }

    private Uni<ObjectNode> submit(GenerationCommand command, String tenant) {
        String key = command.idempotencyKey();
        if (key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return Uni.createFrom().item(rejected(command, "invalid_command", "Invalid idempotency key",
                    "the idempotency key (idempotencykey extension, else the event id) must be 1 to 255 printable ASCII characters",
                    List.of(attributeError("idempotencykey", "not a valid key"))));
        }
        JsonNode body = command.data();
        return intake.submit(tenant, body, key, false).map(outcome -> {
            if (outcome instanceof Outcome.Accepted a) {
                return accepted(command, a.id(), GenerationStatus.QUEUED.wire(), false);
            }
            if (outcome instanceof Outcome.Replayed r) {
                return accepted(command, r.existing().id(), r.existing().status().wire(), true);
            }
            if (outcome instanceof Outcome.Invalid invalid) {
                List<ObjectNode> errors = invalid.violations().stream()
                        .map(v -> error(v.pointer(), v.detail())).toList();
                return rejected(command, "invalid_request", "Invalid generation request",
                        errors.size() == 1 ? invalid.violations().get(0).detail()
                                : errors.size() + " problems in the request; see errors", errors);
            }
            if (outcome instanceof Outcome.KeyConflict) {
                return rejected(command, "idempotency_key_reused", "Idempotency key reused",
                        "this idempotency key was already used with a different request; use a new key for a new request",
                        List.of());
            }
            if (outcome instanceof Outcome.Unpriceable u) {
                return rejected(command, u.reason(), "Generation cannot be priced", u.detail(), List.of());
            }
            throw new IllegalStateException("unhandled outcome " + outcome);
        });
    }

    /**
     * A cancel command: the same as {@code POST /v1/generations/{id}/cancel}, answered accepted
     * (the request is published; the outcome follows as lifecycle events) or rejected.
     */
    private Uni<ObjectNode> cancel(GenerationCommand command, String tenant) {
        String generationId = command.generationId();
        if (generationId == null) {
            return Uni.createFrom().item(rejected(command, "invalid_request", "Invalid cancel command",
                    "data.generation_id is required", List.of(error("/generation_id", "generation_id is required"))));
        }
        JsonNode reason = command.data().get("reason");
        String why = reason != null && reason.isTextual() && !reason.asText().isBlank()
                ? reason.asText() : "requested by " + command.source();
        return intake.cancel(tenant, generationId, why).chain(outcome -> generations.find(tenant, generationId)
                .map(found -> switch (outcome) {
                    case NOT_FOUND -> rejected(command, "not_found", "Generation not found",
                            "no generation " + generationId + " for this tenant", List.of());
                    case TERMINAL -> rejected(command, "not_cancellable", "Generation already finished",
                            "generation " + generationId + " is already "
                                    + found.map(r -> r.status().wire()).orElse("finished"), List.of());
                    case REQUESTED, ALREADY_REQUESTED -> accepted(command, generationId,
                            found.map(r -> r.status().wire()).orElse("unknown"), outcome == GenerationRepository.CancelOutcome.ALREADY_REQUESTED);
                }));
    }

    private Uni<Void> send(String correlationId, ObjectNode reply) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", CommandDecoder.STRUCTURED.getBytes(StandardCharsets.UTF_8));
        Message<String> message = Message.of(reply.toString()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(correlationId).withHeaders(headers).build());
        return replies.sendMessage(message);
    }

    private static ObjectNode accepted(GenerationCommand command, String generationId, String status, boolean replayed) {
        ObjectNode data = CommandDecoder.MAPPER.createObjectNode();
        data.put("status", "accepted");
        data.put("generation_id", generationId);
        data.put("generation_status", status);
        data.put("replayed", replayed);
        data.put("links", "/v1/generations/" + generationId);
        return envelope(command, ACCEPTED, generationId, data);
    }

    private static ObjectNode rejected(GenerationCommand command, String reason, String title, String detail,
            List<ObjectNode> errors) {
        ObjectNode data = CommandDecoder.MAPPER.createObjectNode();
        data.put("status", "rejected");
        data.put("reason", reason);
        data.put("title", title);
        data.put("detail", detail);
        ArrayNode list = data.putArray("errors");
        errors.forEach(list::add);
        return envelope(command, REJECTED, null, data);
    }

    private static ObjectNode envelope(GenerationCommand command, String type, String subject, ObjectNode data) {
        data.put("command_id", command.eventId());
        data.put("command_type", command.type());
        ObjectNode event = CommandDecoder.MAPPER.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", GenerationIntake.EVENT_SOURCE);
        event.put("type", type);
        if (subject != null) {
            event.put("subject", subject);
        }
        event.put("time", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("datacontenttype", "application/json");
        event.put(CommandDecoder.CORRELATION_ID, command.correlationId());
        event.set("data", data);
        return event;
    }

    private static ObjectNode error(String pointer, String detail) {
        ObjectNode e = CommandDecoder.MAPPER.createObjectNode();
        e.put("pointer", pointer);
        e.put("detail", detail);
        return e;
    }

    /** The signature header a refusal is about: the key id when the key is unknown, else the signature. */
    private static ObjectNode headerError(String reason) {
        ObjectNode e = CommandDecoder.MAPPER.createObjectNode();
        boolean keyId = CommandSignatureVerifier.UNKNOWN_KEY.equals(reason);
        e.put("header", keyId ? CommandSignature.KEY_ID_HEADER : CommandSignature.SIGNATURE_HEADER);
        e.put("detail", switch (reason) {
            case CommandSignatureVerifier.UNSIGNED -> "the command is not signed";
            case CommandSignatureVerifier.UNKNOWN_KEY -> "not a configured producer key";
            default -> "does not match the record";
        });
        return e;
    }

    /** An error in a CloudEvent attribute or extension rather than in the data. */
    private static ObjectNode attributeError(String attribute, String detail) {
        ObjectNode e = CommandDecoder.MAPPER.createObjectNode();
        e.put("attribute", attribute);
        e.put("detail", detail);
        return e;
    }

    /** The type tag is one of the two command types or {@code other}: a producer cannot add tag values. */
    private void count(String outcome, String type) {
        String tag = GenerationCommand.SUBMIT.equals(type) || GenerationCommand.CANCEL.equals(type) ? type : "other";
        registry.counter("vidgen.request.commands", "outcome", outcome, "type", tag).increment();
    }
}
