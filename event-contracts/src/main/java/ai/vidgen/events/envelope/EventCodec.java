package ai.vidgen.events.envelope;

import ai.vidgen.events.EventType;
import ai.vidgen.events.GenerationEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Encodes {@link GenerationEvent}s as structured-mode CloudEvent JSON and decodes them back.
 *
 * <p>The event id is derived from the generation, the type and the event's discriminator, so
 * that publishing the same fact twice (a retry after a lost ack, a redelivered input) yields the
 * same id, and consumers that deduplicate on {@code source + id} see one event.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String source;
    private final Clock clock;

    /** @param source the CloudEvent source of every event this codec encodes, e.g. {@code /vidgen/dispatcher} */
    public EventCodec(String source) {
        this(source, Clock.systemUTC());
    }

    public EventCodec(String source, Clock clock) {
        this.source = Objects.requireNonNull(source);
        this.clock = clock;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public CloudEvent envelope(GenerationEvent event) {
        EventType type = EventType.of(event);
        String discriminator = event.discriminator();
        String id = event.generationId() + ":" + type.name().toLowerCase()
                + (discriminator.isEmpty() ? "" : ":" + discriminator);
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, source, type.type(), event.generationId(),
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC), "application/json", null, null,
                MAPPER.valueToTree(event));
    }

    public String encode(GenerationEvent event) {
        return write(envelope(event));
    }

    public static String write(CloudEvent envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + envelope.id(), e);
        }
    }

    /**
     * Reads a structured-mode CloudEvent.
     *
     * @throws UndecodableEventException when the value is not a CloudEvent this platform knows
     */
    public static DecodedEvent decode(String json) {
        if (json == null || json.isBlank()) {
            throw new UndecodableEventException("empty record value");
        }
        CloudEvent envelope;
        try {
            envelope = MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException e) {
            throw new UndecodableEventException("not a JSON CloudEvent: " + e.getOriginalMessage());
        }
        if (envelope.id() == null || envelope.type() == null || envelope.data() == null) {
            throw new UndecodableEventException("CloudEvent lacks id, type or data");
        }
        EventType type = EventType.fromType(envelope.type())
                .orElseThrow(() -> new UndecodableEventException("unknown event type " + envelope.type()));
        try {
            GenerationEvent data = MAPPER.treeToValue(envelope.data(), type.dataClass());
            if (data.generationId() == null) {
                throw new UndecodableEventException(type.type() + " without a generationId");
            }
            return new DecodedEvent(envelope, data);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new UndecodableEventException("data does not match " + type.type() + ": " + e.getMessage());
        }
    }
}
