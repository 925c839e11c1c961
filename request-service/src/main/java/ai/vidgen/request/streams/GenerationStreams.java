package ai.vidgen.request.streams;

import ai.vidgen.request.api.GenerationViews;
import ai.vidgen.request.api.Views;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.persistence.GenerationRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * The open event streams of this replica, grouped by generation. A generation is read from the
 * database when a stream of it opens and when a change of it is announced
 * ({@link #changed}, from {@link GenerationChangeListener}); never on a timer. One read serves every
 * stream of the generation, and reads of one generation run one at a time (a change announced
 * meanwhile is read right after), so no stream ever receives an older state after a newer one.
 */
@ApplicationScoped
public class GenerationStreams {

    private static final Logger LOG = Logger.getLogger(GenerationStreams.class);
    /** A failed read (the database briefly away) is tried again after this long while streams wait. */
    private static final Duration RETRY_READ = Duration.ofSeconds(1);

    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final GenerationRepository generations;
    private final GenerationViews views;
    private final Vertx vertx;
    private final Duration heartbeatInterval;
    private long heartbeatTimer = -1;

    public GenerationStreams(GenerationRepository generations, GenerationViews views, Vertx vertx, RequestConfig config) {
        this.generations = generations;
        this.views = views;
        this.vertx = vertx;
        this.heartbeatInterval = config.sse().heartbeatInterval();
    }

    void start(@Observes StartupEvent event) {
        // One timer for all streams; it only writes a comment to each.
        heartbeatTimer = vertx.setPeriodic(heartbeatInterval.toMillis(), t -> keepAlive());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(heartbeatTimer);
    }

    /**
     * Follows the tenant's generation {@code id} (known to exist): its current state at once, then
     * its state after each change of status, timeline length or cost, completing after the first
     * terminal status. The slot is released when the stream ends, however it ends (completed,
     * client gone, failure).
     */
    public Multi<StreamEvent> follow(String tenant, String id, StreamSlots.Slot slot) {
        return Multi.createFrom().emitter(emitter -> {
            Follower follower = new Follower(emitter);
            Watch watch = watches.compute(id, (key, existing) -> {
                Watch w = existing != null ? existing : new Watch(tenant, id);
                w.followers.add(follower);
                return w;
            });
            emitter.onTermination(() -> {
                leave(watch, follower);
                slot.release();
            });
            // The current state: read after joining, so a change committed from here on is read again.
            refresh(watch);
        });
    }

    /** A change of the generation was committed (on any replica): its streams get the new state. */
    public void changed(String generationId) {
        Watch watch = watches.get(generationId);
        if (watch != null) {
            refresh(watch);
        }
    }

    /**
     * Changes may have gone unannounced (the LISTEN connection was down): every generation with
     * open streams is read once.
     */
    public void resync() {
        watches.values().forEach(this::refresh);
    }

    /** Generations with open streams on this replica. */
    public int followed() {
        return watches.size();
    }

    private void keepAlive() {
        watches.values().forEach(w -> w.followers.forEach(Follower::keepAlive));
    }

    private void leave(Watch watch, Follower follower) {
        watches.computeIfPresent(watch.id, (key, w) -> {
            w.followers.remove(follower);
            return w.followers.isEmpty() ? null : w;
        });
    }

    private void refresh(Watch watch) {
        synchronized (watch) {
            if (watch.reading) {
                watch.readAgain = true;
                return;
            }
            watch.reading = true;
        }
        read(watch);
    }

    private void read(Watch watch) {
        snapshot(watch.tenant, watch.id).subscribe().with(view -> {
            watch.followers.forEach(f -> f.offer(view));
            readDone(watch);
        }, failure -> {
            LOG.warnf("reading generation %s for its event streams failed, trying again in %s: %s",
                    watch.id, RETRY_READ, failure.toString());
            synchronized (watch) {
                watch.reading = false;
                watch.readAgain = false;
            }
            vertx.setTimer(RETRY_READ.toMillis(), t -> {
                if (!watch.followers.isEmpty()) {
                    refresh(watch);
                }
            });
        });
    }

    private void readDone(Watch watch) {
        synchronized (watch) {
            if (!watch.readAgain || watch.followers.isEmpty()) {
                watch.reading = false;
                watch.readAgain = false;
                return;
            }
            watch.readAgain = false;
        }
        read(watch);
    }

    /** The generation as GET renders it; empty when it no longer exists. */
    private Uni<Optional<Views.Generation>> snapshot(String tenant, String id) {
        return generations.find(tenant, id).chain(found -> found.isEmpty()
                ? Uni.createFrom().item(Optional.<Views.Generation>empty())
                : generations.timelines(List.of(id))
                        .map(timelines -> Optional.of(views.generation(found.get(), timelines.get(id)))));
    }

    /** The streams of one generation, and whether a read of it is running or due again. */
    private static final class Watch {
        final String tenant;
        final String id;
        final List<Follower> followers = new CopyOnWriteArrayList<>();
        boolean reading;
        boolean readAgain;

        Watch(String tenant, String id) {
            this.tenant = tenant;
            this.id = id;
        }
    }

    /** One open stream: sends a state only when it differs from the last one it sent. */
    private static final class Follower {
        private final MultiEmitter<? super StreamEvent> emitter;
        private String lastSent;
        private boolean done;

        Follower(MultiEmitter<? super StreamEvent> emitter) {
            this.emitter = emitter;
        }

        synchronized void offer(Optional<Views.Generation> state) {
            if (done) {
                return;
            }
            if (state.isEmpty()) {
                // Deleted while followed: nothing more will come.
                finish();
                return;
            }
            Views.Generation view = state.get();
            String fingerprint = view.status() + "|" + view.timeline().size() + "|" + (view.cost() != null);
            if (!fingerprint.equals(lastSent)) {
                lastSent = fingerprint;
                emitter.emit(new StreamEvent.Changed(view));
            }
            if (GenerationStatus.fromWire(view.status()).map(GenerationStatus::terminal).orElse(false)) {
                finish();
            }
        }

        synchronized void keepAlive() {
            if (!done) {
                emitter.emit(StreamEvent.KEEP_ALIVE);
            }
        }

        private void finish() {
            done = true;
            emitter.complete();
        }
    }
}
