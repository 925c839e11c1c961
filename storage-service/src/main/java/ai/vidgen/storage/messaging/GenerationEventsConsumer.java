package ai.vidgen.storage.messaging;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.storage.archive.ArchiveService;
import ai.vidgen.storage.config.StorageConfig;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Archives every {@link GenerationCompleted} on {@code generation-events}; other events are
 * acknowledged and ignored, records that are not our CloudEvents go to the dead-letter topic.
 *
 * <p>The record is acknowledged only after the answer (VideoArchived or ArchiveFailed) has been
 * acknowledged by the broker, so a crash in between redelivers the completion, and the archive
 * answers it again from its table. Infrastructure failures (database, disk, Kafka) are retried here
 * with a capped backoff for as long as they last: a valid event is never dropped.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationEventsConsumer.class);

    private final ArchiveService archiveService;
    private final EventPublisher publisher;
    private final Vertx vertx;
    private final StorageConfig.Processing processing;

    public GenerationEventsConsumer(ArchiveService archiveService, EventPublisher publisher, Vertx vertx,
            StorageConfig config) {
        this.archiveService = archiveService;
        this.publisher = publisher;
        this.vertx = vertx;
        this.processing = config.processing();
    }

    @Incoming("generation-events")
    public Uni<Void> onEvent(Message<String> message) {
        DecodedEvent decoded;
        try {
            decoded = EventCodec.decode(message.getPayload());
        } catch (UndecodableEventException e) {
            LOG.warnf("dead-lettering an undecodable record: %s", e.getMessage());
            return Uni.createFrom().completionStage(() -> message.nack(e));
        }
        if (!(decoded.data() instanceof GenerationCompleted completed)) {
            return Uni.createFrom().completionStage(message::ack);
        }
        // Hibernate Reactive keeps its session on a duplicated context; every (re)try starts on this one.
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        return Uni.createFrom().deferred(() -> archiveService.archive(completed).chain(publisher::publish))
                .runSubscriptionOn(onContext)
                .onFailure().invoke(failure -> LOG.errorf(failure,
                        "archiving generation %s failed on infrastructure; retrying", completed.generationId()))
                .onFailure().retry()
                .withBackOff(processing.retryInitialBackoff(), processing.retryMaxBackoff())
                .indefinitely()
                .chain(() -> Uni.createFrom().completionStage(message::ack));
    }
}
