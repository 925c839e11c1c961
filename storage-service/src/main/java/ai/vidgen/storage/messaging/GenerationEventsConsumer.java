package ai.vidgen.storage.messaging;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.platform.messaging.EventPublisher;
import ai.vidgen.storage.archive.ArchiveService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Archives every {@link GenerationCompleted} on {@code generation-events}; other events are
 * acknowledged and ignored. The shared consumer template ({@link EventConsumers}) dead-letters
 * records that are not our CloudEvents, runs the archive in the generation's trace on a Vert.x
 * context of its own (which Hibernate Reactive and {@code executeBlocking} continue on), and
 * retries infrastructure failures (database, disk, Kafka) for as long as they last: a valid event
 * is never dropped.
 *
 * <p>The record is acknowledged only after the answer (VideoArchived or ArchiveFailed) has been
 * acknowledged by the broker, so a crash in between redelivers the completion, and the archive
 * answers it again from its table.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    static final String CONSUMER = "archive";

    private final ArchiveService archiveService;
    private final EventPublisher publisher;
    private final EventConsumers consumers;

    public GenerationEventsConsumer(ArchiveService archiveService, EventPublisher publisher, EventConsumers consumers) {
        this.archiveService = archiveService;
        this.publisher = publisher;
        this.consumers = consumers;
    }

    @Incoming("generation-events")
    public Uni<Void> onEvent(Message<String> message) {
        return consumers.consume(CONSUMER, message, this::handle);
    }

    /**
     * One event, idempotently: a completion seen before is answered from the table, without a
     * second download. Must run on a Vert.x duplicated context.
     */
    public Uni<Void> handle(DecodedEvent event) {
        if (!(event.data() instanceof GenerationCompleted completed)) {
            return Uni.createFrom().voidItem();
        }
        return archiveService.archive(completed).chain(publisher::publish);
    }
}
