package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.GenerationIntake;
import ai.vidgen.request.GenerationIntake.Outcome;
import ai.vidgen.request.client.StorageLinks;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.domain.OpenAiVideoRequest;
import ai.vidgen.request.domain.Violation;
import ai.vidgen.request.persistence.DeletedVideos;
import ai.vidgen.request.persistence.GenerationRepository;
import ai.vidgen.request.persistence.GenerationRow;
import ai.vidgen.request.persistence.PageCursor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * The OpenAI-style video API (as the gateway of seed 004 offers it) over the native generations:
 * a video is a generation, its id the generation id. See {@link OpenAiVideoRequest} for how each
 * parameter is mapped, and the README for the table.
 */
@Path("/v1/videos")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "videos", description = "OpenAI-style videos API over Kling")
public class VideosResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GenerationIntake intake;
    private final GenerationRepository generations;
    private final DeletedVideos deleted;
    private final TenantResolver tenants;
    private final StorageLinks links;
    // With S3 behind storage, the video answers 307 to a presigned GET; the Range goes along.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public VideosResource(GenerationIntake intake, GenerationRepository generations, DeletedVideos deleted,
            TenantResolver tenants, StorageLinks links) {
        this.intake = intake;
        this.generations = generations;
        this.deleted = deleted;
        this.tenants = tenants;
        this.links = links;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Create a video (multipart form, as the openai SDK sends it)")
    public Uni<Response> createForm(MultipartFormDataInput form, @Context HttpHeaders headers) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Collection<FormValue>> e : form.getValues().entrySet()) {
            for (FormValue value : e.getValue()) {
                fields.put(e.getKey(), formValue(value));
            }
        }
        return create(fields, headers);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a video (JSON body)")
    public Uni<Response> createJson(JsonNode body, @Context HttpHeaders headers) {
        if (body == null || !body.isObject()) {
            throw invalid(List.of(new Violation("", "the body must be a JSON object")));
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        return create(fields, headers);
    }

    private Uni<Response> create(Map<String, JsonNode> fields, HttpHeaders headers) {
        // The same rules as the native API: a malformed key is a 400, never a key used as sent.
        String key = IdempotencyKeys.parse(headers.getHeaderString(IdempotencyKeys.HEADER));
        OpenAiVideoRequest.Translation t = OpenAiVideoRequest.translate(fields);
        if (!t.violations().isEmpty()) {
            throw invalid(t.violations());
        }
        return tenants.resolve(headers).chain(tenant -> submitAll(tenant, t.bodies(), key, Map.of()))
                .map(submitted -> {
                    ObjectNode first = video(submitted.get(0).row());
                    if (submitted.size() > 1) {
                        ArrayNode ids = first.putArray("video_ids");
                        submitted.forEach(s -> ids.add(s.row().id()));
                    }
                    return replayedIfAll(Response.ok(first), submitted).build();
                });
    }

    /** One submitted generation, and whether it is an Idempotency-Key replay of an earlier one. */
    private record Submitted(GenerationRow row, boolean replayed) {
    }

    /** As on the native API: a replay says so (with n > 1, when every one of them is a replay). */
    private static Response.ResponseBuilder replayedIfAll(Response.ResponseBuilder response, List<Submitted> submitted) {
        return submitted.stream().allMatch(Submitted::replayed)
                ? response.header(IdempotencyKeys.REPLAYED_HEADER, "true") : response;
    }

    /** n parallel submissions; one invalid body means all are (they are copies), so the first answer decides. */
    private Uni<List<Submitted>> submitAll(String tenant, List<ObjectNode> bodies, String key,
            Map<String, String> ownVideos) {
        List<Uni<Submitted>> submissions = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String k = key == null ? null : bodies.size() == 1 ? key : key + "#" + (i + 1);
            submissions.add(intake.submit(tenant, bodies.get(i), k, false, ownVideos).chain(outcome -> {
                if (outcome instanceof Outcome.Accepted a) {
                    return generations.find(tenant, a.id()).map(o -> new Submitted(o.orElseThrow(), false));
                }
                if (outcome instanceof Outcome.Replayed r) {
                    return Uni.createFrom().item(new Submitted(r.existing(), true));
                }
                if (outcome instanceof Outcome.Invalid invalid) {
                    throw invalid(invalid.violations().stream().map(VideosResource::openAiPointer).toList());
                }
                if (outcome instanceof Outcome.KeyConflict) {
                    throw IntakeProblems.keyReused("this Idempotency-Key was already used with a different request");
                }
                if (outcome instanceof Outcome.Unpriceable u) {
                    throw IntakeProblems.unpriceable("Video cannot be priced", u);
                }
                throw new IllegalStateException("unhandled outcome " + outcome);
            }));
        }
        return Uni.join().all(submissions).andFailFast();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Retrieve a video", description = "status is queued, in_progress (also while a retryable "
            + "failure waits for its next attempt), completed or failed; a cancelled or rejected generation is failed "
            + "with error.code cancelled, aborted (cancelled before it started, never billed) or the rejection reason")
    public Uni<ObjectNode> retrieve(@PathParam("id") String id, @Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(tenant -> visible(tenant, id)).map(VideosResource::video);
    }

    @GET
    @Operation(summary = "List videos, newest first (after = the last id of the previous page)")
    public Uni<ObjectNode> list(@QueryParam("after") String after, @QueryParam("limit") Integer limit,
            @QueryParam("order") String order, @Context HttpHeaders headers) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100 || (order != null && !order.equals("desc"))) {
            throw invalidQuery(List.of(new Violation("/limit", "limit is 1 to 100 and order only desc (newest first)")));
        }
        return tenants.resolve(headers).chain(tenant -> cursor(tenant, after)
                .chain(cursor -> generations.list(tenant, null, cursor, size + 1))
                .chain(rows -> deleted.deleted(tenant, rows.stream().map(GenerationRow::id).toList()).map(gone -> {
                    List<GenerationRow> page = rows.size() > size ? rows.subList(0, size) : rows;
                    ObjectNode out = JsonNodeFactory.instance.objectNode();
                    out.put("object", "list");
                    ArrayNode data = out.putArray("data");
                    page.stream().filter(r -> !gone.contains(r.id())).forEach(r -> data.add(video(r)));
                    out.put("first_id", page.isEmpty() ? null : page.get(0).id());
                    out.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
                    out.put("has_more", rows.size() > size);
                    return out;
                })));
    }

    private Uni<PageCursor> cursor(String tenant, String after) {
        if (after == null || after.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return generations.find(tenant, after).map(found -> found.map(r -> new PageCursor(r.createdAt(), r.id()))
                .orElseThrow(() -> invalidQuery(List.of(new Violation("/after", "after must be the id of one of your videos")))));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a video: it leaves the videos API (the generation and its cost remain)")
    public Uni<ObjectNode> delete(@PathParam("id") String id, @Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(tenant -> visible(tenant, id)
                .chain(row -> deleted.delete(tenant, row.id())).map(x -> {
                    ObjectNode out = JsonNodeFactory.instance.objectNode();
                    out.put("id", id);
                    out.put("object", "video.deleted");
                    out.put("deleted", true);
                    return out;
                }));
    }

    @POST
    @Path("/{id}/remix")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Remix: a new video from this one's archived MP4 with a new prompt (O3 video-to-video edit)")
    public Uni<Response> remix(@PathParam("id") String id, JsonNode body, @Context HttpHeaders headers) {
        String key = IdempotencyKeys.parse(headers.getHeaderString(IdempotencyKeys.HEADER));
        JsonNode prompt = body == null ? null : body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw invalid(List.of(new Violation("/prompt", "prompt is required: what to change in the video")));
        }
        return tenants.resolve(headers).chain(tenant -> visible(tenant, id).chain(source -> {
            if (source.status() != GenerationStatus.COMPLETED || source.video() == null) {
                throw new ProblemException(Problem.of(Problem.type("video-not-ready"), "Video not ready", 409,
                        "only a completed video can be remixed; " + id + " is " + source.status().wire()));
            }
            ObjectNode native_ = JsonNodeFactory.instance.objectNode();
            native_.put("endpoint_id", OpenAiVideoRequest.remixEndpoint(source.endpointId()));
            ObjectNode input = native_.putObject("input");
            input.put("prompt", prompt.asText());
            // Unsigned here, so a retried remix matches its first attempt; the intake signs it
            // (request.input-url-validity) for the event fal's request is made from.
            input.put("video_url", links.publicVideo(source.id()));
            ObjectNode metadata = native_.putObject("metadata");
            metadata.put("openai.model", "kling-o3");
            metadata.put("openai.size", source.metadata().getOrDefault("openai.size", "1280x720"));
            metadata.put("openai.remixed_from", source.id());
            // The link to our own archive is built here, not supplied by the user: the URL policy
            // (meant for user input) does not apply to it.
            return submitAll(tenant, List.of(native_), key, Map.of(input.get("video_url").asText(), source.id()));
        })).map(submitted -> replayedIfAll(Response.ok(video(submitted.get(0).row())), submitted).build());
    }

    @GET
    @Path("/{id}/content")
    @Produces(MediaType.WILDCARD)
    @Blocking
    @Operation(summary = "The archived MP4, streamed from storage-service (Range supported)")
    public Response content(@PathParam("id") String id, @QueryParam("variant") String variant,
            @Context HttpHeaders headers) throws Exception {
        String tenant = tenants.resolve(headers).await().atMost(Duration.ofSeconds(10));
        GenerationRow row = visible(tenant, id).await().atMost(Duration.ofSeconds(10));
        if (variant != null && !variant.equals("video")) {
            throw invalidQuery(List.of(new Violation("/variant", "only the video variant exists")));
        }
        if (row.status() != GenerationStatus.COMPLETED || row.video() == null) {
            throw new ProblemException(Problem.of(Problem.type("video-not-ready"), "Video not ready", 409,
                    "video " + id + " is " + row.status().wire() + "; its content exists once it is completed"));
        }
        // A link signed for this tenant and video, made now: storage serves nothing without one.
        HttpRequest.Builder request = HttpRequest.newBuilder(links.videoForProxy(tenant, row.id()))
                .timeout(Duration.ofSeconds(30)).GET();
        String range = headers.getHeaderString("Range");
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<InputStream> upstream = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = upstream.statusCode();
        if (status != 200 && status != 206) {
            upstream.body().close();
            throw new ProblemException(Problem.of(status == 416 ? Problem.type("range-not-satisfiable")
                    : Problem.type("storage-unavailable"), status == 416 ? "Range Not Satisfiable" : "Bad Gateway",
                    status == 416 ? 416 : 502, "storage answered " + status + " for video " + id));
        }
        Response.ResponseBuilder out = Response.status(status).entity(upstream.body())
                .type(upstream.headers().firstValue("Content-Type").orElse("video/mp4"))
                .header("Accept-Ranges", "bytes");
        for (String h : List.of("Content-Length", "Content-Range", "ETag", "Last-Modified")) {
            upstream.headers().firstValue(h).ifPresent(v -> out.header(h, v));
        }
        return out.build();
    }

    /** The tenant's video, or 404 (missing, another tenant's, or deleted). */
    private Uni<GenerationRow> visible(String tenant, String id) {
        return generations.find(tenant, id).chain(found -> {
            GenerationRow row = found.orElseThrow(() -> notFound(id));
            return deleted.deleted(tenant, List.of(row.id())).map(gone -> {
                if (!gone.isEmpty()) {
                    throw notFound(id);
                }
                return row;
            });
        });
    }

    static ObjectNode video(GenerationRow g) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("id", g.id());
        v.put("object", "video");
        v.put("model", g.metadata().getOrDefault("openai.model", g.endpointId().contains("/o3/") ? "kling-o3" : "kling-v3"));
        String status = switch (g.status()) {
            case QUEUED -> "queued";
            // A retryable failure waiting for its next attempt is still in progress (error.retryable shows why).
            case IN_PROGRESS, ARCHIVING -> "in_progress";
            case COMPLETED -> "completed";
            // OpenAI's video statuses have no cancelled or rejected: both are failed, with
            // error.code cancelled / aborted (never started, never billed) or the rejection reason.
            case FAILED, CANCELLED, REJECTED -> "failed";
        };
        v.put("status", status);
        v.put("progress", switch (g.status()) {
            case QUEUED -> 0;
            case IN_PROGRESS -> 50;
            case ARCHIVING -> 90;
            default -> 100;
        });
        v.put("created_at", g.createdAt().getEpochSecond());
        if (g.status().terminal()) {
            v.put("completed_at", g.updatedAt().getEpochSecond());
        } else {
            v.putNull("completed_at");
        }
        v.putNull("expires_at");
        JsonNode prompt = g.input().get("prompt");
        v.put("prompt", prompt == null ? null : prompt.asText());
        v.put("remixed_from_video_id", g.metadata().get("openai.remixed_from"));
        v.put("seconds", String.valueOf(g.specSeconds()));
        String size = g.video() != null && g.video().width() != null && g.video().height() != null
                ? g.video().width() + "x" + g.video().height()
                : g.metadata().getOrDefault("openai.size", "1280x720");
        v.put("size", size);
        if (g.error() != null || "failed".equals(status)) {
            ObjectNode error = v.putObject("error");
            error.put("code", g.error() != null ? g.error().type() : g.status().wire());
            error.put("message", g.error() != null ? g.error().message() : "the video was " + g.status().wire());
        } else {
            v.putNull("error");
        }
        v.put("endpoint_id", g.endpointId());
        // Not OpenAI's: the endpoint that actually rendered it (a draft may be routed elsewhere).
        v.put("ran_on", g.ranOnEndpointId());
        return v;
    }

    private static JsonNode formValue(FormValue value) {
        if (!value.isFileItem()) {
            return JsonNodeFactory.instance.textNode(value.getValue());
        }
        try {
            byte[] bytes = Files.readAllBytes(value.getFileItem().getFile());
            String type = value.getHeaders().getFirst("Content-Type");
            if (type == null || type.isBlank() || type.equals("application/octet-stream")) {
                type = "image/png";
            }
            return JsonNodeFactory.instance.textNode("data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The native request's pointers, as the OpenAI-style body names the fields: the start frame
     * came from input_reference, every other Kling field passed through at the top level.
     */
    static Violation openAiPointer(Violation v) {
        String p = v.pointer();
        if (p.equals("/input/start_image_url") || p.equals("/input/image_url")) {
            return new Violation("/input_reference", v.detail().replace("start_image_url", "input_reference")
                    .replace("image_url", "input_reference"));
        }
        if (p.equals("/input/duration")) {
            return new Violation("/seconds", v.detail());
        }
        return p.startsWith("/input/") ? new Violation(p.substring("/input".length()), v.detail()) : v;
    }

    /**
     * 400, as OpenAI's API answers a request that breaks a rule (an unknown field, a duration the
     * model does not offer, a refused URL): clients of this API catch the SDK's BadRequestError.
     * The native API answers the same findings with 422.
     */
    private static ProblemException invalid(List<Violation> violations) {
        return invalid(violations, 400);
    }

    /** 400: a query parameter is wrong. */
    private static ProblemException invalidQuery(List<Violation> violations) {
        return invalid(violations, 400);
    }

    private static ProblemException invalid(List<Violation> violations, int status) {
        List<Problem.ProblemError> errors = violations.stream().map(v -> Problem.ProblemError.at(v.pointer(), v.detail())).toList();
        return new ProblemException(Problem.of(Problem.INVALID_REQUEST, "Invalid video request", status,
                errors.size() == 1 ? errors.get(0).detail() : errors.size() + " problems in the request; see errors")
                .withErrors(errors));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(Problem.of(Problem.NOT_FOUND, "Video not found", 404, "no video " + id + " for this tenant"));
    }
}
