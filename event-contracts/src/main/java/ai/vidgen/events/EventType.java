package ai.vidgen.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The CloudEvent {@code type} of each {@link GenerationEvent}. */
public enum EventType {
    REQUESTED("ai.vidgen.generation.requested", GenerationRequested.class),
    REJECTED("ai.vidgen.generation.rejected", GenerationRejected.class),
    DISPATCHED("ai.vidgen.generation.dispatched", GenerationDispatched.class),
    SUBMITTED("ai.vidgen.generation.submitted", GenerationSubmitted.class),
    PROGRESS("ai.vidgen.generation.progress", GenerationProgress.class),
    COMPLETED("ai.vidgen.generation.completed", GenerationCompleted.class),
    FAILED("ai.vidgen.generation.failed", GenerationFailed.class),
    CANCELLED("ai.vidgen.generation.cancelled", GenerationCancelled.class),
    ARCHIVED("ai.vidgen.video.archived", VideoArchived.class),
    ARCHIVE_FAILED("ai.vidgen.video.archive-failed", ArchiveFailed.class),
    BILLED("ai.vidgen.generation.billed", GenerationBilled.class),
    CANCEL_REQUESTED("ai.vidgen.generation.cancel-requested", GenerationCancelRequested.class),
    RESERVED("ai.vidgen.generation.reserved", GenerationReserved.class),
    ABANDONED("ai.vidgen.generation.abandoned", GenerationAbandoned.class),
    CHARGE_CORRECTED("ai.vidgen.billing.charge-corrected", ChargeCorrected.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

    private final String type;
    private final Class<? extends GenerationEvent> dataClass;

    EventType(String type, Class<? extends GenerationEvent> dataClass) {
        this.type = type;
        this.dataClass = dataClass;
    }

    public String type() {
        return type;
    }

    public Class<? extends GenerationEvent> dataClass() {
        return dataClass;
    }

    public static Optional<EventType> fromType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static EventType of(GenerationEvent event) {
        return BY_CLASS.get(event.getClass());
    }
}
