package ai.vidgen.faladapter.tracking;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;

/**
 * Hibernate Reactive must run on the Vert.x (duplicated) context that opened its session. HTTP
 * answers, broker acks and Mutiny timers may complete on other threads, so every unit of work
 * captures its context here and hops back with {@code emitOn}/{@code runSubscriptionOn} before it
 * touches the database.
 */
@ApplicationScoped
public class VertxContexts {

    private final Vertx vertx;

    public VertxContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The current duplicated context, or a new one when called off any Vert.x context. */
    public Executor current() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            context = VertxContext.createNewDuplicatedContext(context == null ? vertx.getOrCreateContext() : context);
        }
        Context target = context;
        return command -> target.runOnContext(ignored -> command.run());
    }
}
