package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.QueueCall;
import ai.vidgen.falemulator.domain.QueueRoute;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import ai.vidgen.falemulator.domain.RequestStatus;
import ai.vidgen.falemulator.queue.QueueService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code GET <app root or endpoint id>/requests/<id>/status/stream}: fal's status as server-sent
 * events. One {@code data: <status json>} event per change (the same body the status call
 * returns), a {@code : ping} comment every {@code emulator.stream-ping-interval}, and the stream
 * ends after the COMPLETED event. A plain Vert.x route, since it holds the connection open; it
 * runs before the REST catch-all and does the key check itself. The route faults
 * ({@link RouteFaults}) strike before the stream opens.
 */
@ApplicationScoped
public class StatusStreamRoute {

    private static final String PATH = "^/.+/requests/[^/]+/status/stream/?$";

    private final QueueService queue;
    private final ObjectMapper json;
    private final FalKeyPolicy keys;
    private final long pingMillis;
    private final long checkMillis;
    private final RouteFaults routeFaults;

    public StatusStreamRoute(QueueService queue, ObjectMapper json, FalKeyPolicy keys, EmulatorConfig config,
                             RouteFaults routeFaults) {
        this.queue = queue;
        this.routeFaults = routeFaults;
        this.json = json;
        this.keys = keys;
        this.pingMillis = Math.max(1, config.streamPingInterval().toMillis());
        this.checkMillis = Math.max(1, config.streamCheckInterval().toMillis());
    }

    void install(@Observes Router router) {
        router.getWithRegex(PATH).order(-100).handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        Optional<String> key = FalKeyFilter.presentedKey(ctx.request().getHeader("Authorization"));
        if (key.isEmpty() || !keys.accepts(key.get())) {
            fail(ctx, 401, new JsonObject().put("detail", key.isEmpty()
                    ? "Missing credentials: send 'Authorization: Key <FAL_KEY>'."
                    : "Invalid credentials: the key is not valid for this emulator."));
            return;
        }
        Optional<QueueRoute> route = QueueRoute.parse(ctx.normalizedPath());
        if (route.isPresent()) {
            Optional<RequestSnapshot> request = find(route);
            Optional<RouteFaults.Refusal> refused = routeFaults.refusal(route.get(), request);
            if (refused.isPresent()) {
                ctx.response().setStatusCode(refused.get().status())
                        .putHeader("Content-Type", refused.get().contentType()).end(refused.get().body());
                return;
            }
            Optional<Duration> hold = routeFaults.hold(route.get(), request);
            if (hold.isPresent()) {
                // route_timeout: nothing at all (not even the headers) until the hold is over.
                ctx.vertx().setTimer(Math.max(1, hold.get().toMillis()), t -> answer(ctx, route));
                return;
            }
        }
        answer(ctx, route);
    }

    private Optional<RequestSnapshot> find(Optional<QueueRoute> route) {
        return route.flatMap(r -> queue.findForClient(r.requestId()).filter(s -> s.request().app().accepts(r.prefix())));
    }

    private void answer(RoutingContext ctx, Optional<QueueRoute> route) {
        if (ctx.response().closed()) {
            return; // the client gave up during a route_timeout hold
        }
        Optional<RequestSnapshot> found = find(route);
        if (found.isEmpty()) {
            fail(ctx, 404, new JsonObject().put("status", "NOT_FOUND"));
            return;
        }
        String id = found.get().id();
        queue.traced(id, QueueCall.STATUS, ctx.request().getHeader(QueueResource.TRACEPARENT));
        boolean logs = QueueResource.wantsLogs(ctx.request().getParam("logs"));
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader(QueueResponses.REQUEST_ID_HEADER, id);
        var vertx = ctx.vertx();
        String[] last = {null};
        long[] timers = {-1, -1};
        Runnable stop = () -> {
            vertx.cancelTimer(timers[0]);
            vertx.cancelTimer(timers[1]);
        };
        Runnable check = () -> {
            if (response.ended() || response.closed()) {
                stop.run();
                return;
            }
            Optional<RequestSnapshot> now = queue.findForClient(id);
            if (now.isEmpty()) { // forgotten (retention, request_forgotten or reset)
                stop.run();
                response.end();
                return;
            }
            String body = serialise(QueueResponses.statusBody(now.get(), logs));
            if (!body.equals(last[0])) {
                last[0] = body;
                response.write("data: " + body + "\n\n");
            }
            if (now.get().status() == RequestStatus.COMPLETED) {
                stop.run();
                response.end();
            }
        };
        response.closeHandler(v -> stop.run());
        check.run();
        if (!response.ended()) {
            timers[0] = vertx.setPeriodic(checkMillis, t -> check.run());
            timers[1] = vertx.setPeriodic(pingMillis, t -> {
                if (!response.ended() && !response.closed()) {
                    response.write(": ping\n\n");
                }
            });
        }
    }

    private String serialise(QueueStatusBody body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fail(RoutingContext ctx, int code, JsonObject body) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
    }
}
