package ai.vidgen.storage.messaging;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.platform.tracing.TraceParent;
import ai.vidgen.storage.archive.ArchiveIntake;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Records every {@link GenerationCompleted} on {@code generation-events} as archive work and
 * acknowledges it once the row is committed; the {@link ai.vidgen.storage.archive.ArchiveWorker}
 * downloads and archives it later, off this consumer. Other events are acknowledged and ignored.
 * No record waits for a download, so a slow CDN never holds the partition (nor SmallRye's
 * unacknowledged-record limit) up.
 *
 * <p>The channel runs in batch mode ({@code batch=true}): each poll's records come together, and
 * each goes through the shared consumer template ({@link EventConsumers}: dead letters, the trace,
 * retries of infrastructure failures) and is acknowledged on its own. Their rows are recorded
 * together by the intake's group commit, a transaction or two per poll instead of one per record.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    static final String CONSUMER = "archive";

    private final ArchiveIntake intake;
    private final EventConsumers consumers;

    public GenerationEventsConsumer(ArchiveIntake intake, EventConsumers consumers) {
        this.intake = intake;
        this.consumers = consumers;
    }

    @Incoming("generation-events")
    public Uni<Void> onEvents(KafkaRecordBatch<String, String> batch) {
        List<Uni<Void>> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            records.add(consumers.consume(CONSUMER, record, this::handle));
        }
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // The template settles every record itself and never fails.
        return Uni.join().all(records).andCollectFailures().replaceWithVoid();
    }

    /**
     * One event, idempotently: a completion recorded before (a redelivery) records nothing. Must
     * run on a Vert.x context.
     */
    public Uni<Void> handle(DecodedEvent event) {
        if (!(event.data() instanceof GenerationCompleted completed)) {
            return Uni.createFrom().voidItem();
        }
        // The consumer span's trace, so the archive continues the record's span.
        return intake.record(completed, TraceParent.current().or(() -> TraceParent.of(event.envelope())));
    }
}
