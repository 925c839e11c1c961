package ai.vidgen.request.streams;

import ai.vidgen.request.persistence.GenerationChanges;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's one LISTEN connection to PostgreSQL: each {@link GenerationChanges} notification,
 * whichever replica's transaction sent it, goes to {@link GenerationStreams#changed}. The
 * connection is the reactive client's own (not one of the pool's, which are shared and returned).
 *
 * <p>When the connection drops it is reconnected with backoff, for as long as it takes; once it
 * listens again, every generation with open streams is read once, since notifications sent
 * meanwhile are lost.
 */
@ApplicationScoped
public class GenerationChangeListener {

    private static final Logger LOG = Logger.getLogger(GenerationChangeListener.class);
    /** How the connection shows in pg_stat_activity. */
    static final String APPLICATION_NAME = "request-service change listener";
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Vertx vertx;
    private final GenerationStreams streams;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;

    public GenerationChangeListener(Vertx vertx, GenerationStreams streams,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") List<String> urls,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.streams = streams;
        // The first URL of the reactive datasource, as the pool would connect to it.
        String url = urls.get(0).trim();
        if (url.startsWith("vertx-reactive:")) {
            url = url.substring("vertx-reactive:".length());
        }
        PgConnectOptions connect = PgConnectOptions.fromUri(url);
        user.ifPresent(connect::setUser);
        password.ifPresent(connect::setPassword);
        connect.addProperty("application_name", APPLICATION_NAME);
        this.options = connect;
    }

    void start(@Observes StartupEvent event) {
        connect(0);
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        PgSubscriber current = subscriber;
        if (current != null) {
            current.close();
        }
    }

    private void connect(int failures) {
        if (stopped) {
            return;
        }
        PgSubscriber next = PgSubscriber.subscriber(vertx, options);
        next.reconnectPolicy(attempt -> {
            if (attempt == 0) {
                LOG.warn("the LISTEN connection for event streams dropped; reconnecting");
            }
            return stopped ? -1L : backoff(attempt);
        });
        next.channel(GenerationChanges.CHANNEL)
                .handler(streams::changed)
                // Also runs after every reconnection: catch up on what was announced meanwhile.
                .subscribeHandler(v -> {
                    int followed = streams.followed();
                    if (followed > 0) {
                        LOG.infof("listening for generation changes again; re-reading %d followed generations", followed);
                    }
                    streams.resync();
                });
        subscriber = next;
        next.connect().onFailure(failure -> {
            // The subscriber retries only a connection it once had; the first one is retried here.
            LOG.warnf("cannot LISTEN for generation changes yet (%s); retrying", failure.toString());
            next.close();
            vertx.setTimer(backoff(failures), t -> connect(failures + 1));
        });
    }

    private static long backoff(int attempt) {
        return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(attempt, 10));
    }
}
