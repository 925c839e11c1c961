package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.NewRequest;
import ai.vidgen.falemulator.domain.Outcome;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import ai.vidgen.falemulator.domain.RequestStatus;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns request snapshots into fal's queue responses. */
final class QueueResponses {

    static final String REQUEST_ID_HEADER = "x-fal-request-id";

    private QueueResponses() {
    }

    /** fal's URLs use the app root, not the endpoint id: {@code {base}/fal-ai/kling-video/requests/{id}}. */
    record Urls(String response, String status, String cancel) {
        static Urls of(NewRequest request) {
            String response = request.baseUrl() + "/" + request.app().root() + "/requests/" + request.id();
            return new Urls(response, response + "/status", response + "/cancel");
        }
    }

    static Response submitted(RequestSnapshot snapshot) {
        Urls urls = Urls.of(snapshot.request());
        String gatewayId = snapshot.request().webhookUrl().isPresent() ? snapshot.id() : null;
        QueueStatusBody body = new QueueStatusBody("IN_QUEUE", snapshot.id(), urls.response(), urls.status(),
                urls.cancel(), snapshot.queuePosition().orElse(0), null, null, null, null, gatewayId);
        return withId(Response.ok(body), snapshot.id());
    }

    static Response status(RequestSnapshot snapshot, boolean withLogs) {
        QueueStatusBody body = statusBody(snapshot, withLogs);
        int code = snapshot.status() == RequestStatus.COMPLETED ? 200 : 202;
        return withId(Response.status(code).entity(body), snapshot.id());
    }

    /** The status body, as the status call and the status stream send it. */
    static QueueStatusBody statusBody(RequestSnapshot snapshot, boolean withLogs) {
        Urls urls = Urls.of(snapshot.request());
        List<LogLine> logs = withLogs ? snapshot.logs().stream().map(LogLine::of).toList() : null;
        QueueStatusBody body = switch (snapshot.status()) {
            case IN_QUEUE -> new QueueStatusBody("IN_QUEUE", snapshot.id(), urls.response(), urls.status(),
                    urls.cancel(), snapshot.queuePosition().orElseThrow(), logs, null, null, null, null);
            case IN_PROGRESS -> new QueueStatusBody("IN_PROGRESS", snapshot.id(), urls.response(), urls.status(),
                    urls.cancel(), null, logs, null, null, null, null);
            case COMPLETED -> {
                Map<String, Object> metrics = new LinkedHashMap<>();
                snapshot.inferenceSeconds().ifPresent(seconds -> metrics.put("inference_time", round(seconds)));
                Outcome.Failed failure = snapshot.outcome().orElseThrow() instanceof Outcome.Failed failed ? failed : null;
                yield new QueueStatusBody("COMPLETED", snapshot.id(), urls.response(), urls.status(), urls.cancel(),
                        null, logs, metrics, failure == null ? null : failure.error(),
                        failure == null ? null : failure.errorType(), null);
            }
        };
        return body;
    }

    /** The stored outcome, replayed as fal does: the bare output, or the failure's status, body and headers. */
    static Response result(RequestSnapshot snapshot) {
        if (snapshot.status() != RequestStatus.COMPLETED) {
            return withId(Response.status(400).entity(new Detail("Request is still in progress")),
                    snapshot.id());
        }
        Outcome outcome = snapshot.outcome().orElseThrow();
        if (outcome instanceof Outcome.Succeeded output) {
            return withId(Response.ok(output.payload()), snapshot.id());
        }
        Outcome.Failed failed = (Outcome.Failed) outcome;
        Response.ResponseBuilder response =
                Response.status(failed.httpStatus()).entity(failed.body());
        failed.headers().forEach(response::header);
        return withId(response, snapshot.id());
    }

    static Response withStatus(int code, Object body) {
        return Response.status(code).entity(body).build();
    }

    private static Response withId(Response.ResponseBuilder response, String requestId) {
        return response.header(REQUEST_ID_HEADER, requestId).build();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
