package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.GenerationIntake;
import ai.vidgen.request.GenerationIntake.Outcome;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.persistence.GenerationRepository;
import ai.vidgen.request.persistence.GenerationRow;
import ai.vidgen.request.persistence.PageCursor;
import ai.vidgen.request.streams.GenerationStreams;
import ai.vidgen.request.streams.StreamEvent;
import ai.vidgen.request.streams.StreamLimitReached;
import ai.vidgen.request.streams.StreamSlots;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The native generation API: submit a Kling generation, read its status, list them. */
@Path("/v1/generations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "generations", description = "Kling video generations on fal")
public class GenerationsResource {

    static final String IDEMPOTENCY_HEADER = IdempotencyKeys.HEADER;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final GenerationIntake intake;
    private final GenerationRepository generations;
    private final GenerationViews views;
    private final TenantResolver tenants;
    private final StreamSlots slots;
    private final GenerationStreams streams;
    private final Duration retryAfter;

    public GenerationsResource(GenerationIntake intake, GenerationRepository generations, GenerationViews views,
            TenantResolver tenants, StreamSlots slots, GenerationStreams streams, RequestConfig config) {
        this.slots = slots;
        this.streams = streams;
        this.retryAfter = config.sse().retryAfter();
        this.intake = intake;
        this.generations = generations;
        this.views = views;
        this.tenants = tenants;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a generation",
            description = "Validates the request against the Kling catalog, stores it and publishes it for "
                    + "admission. A 202 means it will reach a terminal state. With dry_run=true it only "
                    + "validates and estimates.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.CreateGeneration.class)))
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "202", description = "Accepted (or an Idempotency-Key replay of an accepted request)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.Accepted.class)))
    @APIResponse(responseCode = "200", description = "Dry run: valid, with the estimate; nothing stored or published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.DryRun.class)))
    @APIResponse(responseCode = "422", description = "Invalid request (type urn:vidgen:problem:invalid-request): every "
            + "violation at once, each with a JSON Pointer and what to change, including refused URLs (not https, "
            + "or resolving to a private, loopback, link-local or metadata address); or billing has no price for "
            + "this endpoint and options (type urn:vidgen:problem:unpriceable, reason no_price)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or an invalid Idempotency-Key header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "The body is larger than request.limits.max-body-size "
            + "(type urn:vidgen:problem:payload-too-large): send large media as an https URL",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used for a different request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(JsonNode body,
            @Parameter(description = "Validate and estimate only") @QueryParam("dry_run") @DefaultValue("false") boolean dryRun,
            @Parameter(description = "Makes retries safe: the same key and request give the same generation")
            @HeaderParam(IDEMPOTENCY_HEADER) String idempotencyKey,
            @Context HttpHeaders headers) {
        String key = IdempotencyKeys.parse(idempotencyKey);
        return tenants.resolve(headers).chain(tenant -> intake.submit(tenant, body, key, dryRun)).map(this::render);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a generation", description = "Status, timeline, cost and video of one of your generations")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.Generation.class)))
    @APIResponse(responseCode = "404", description = "No such generation for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Views.Generation> get(@PathParam("id") String id, @Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(tenant -> generations.find(tenant, id)).chain(found -> {
            // Another tenant's generation answers exactly like a missing one: ids reveal nothing.
            GenerationRow row = found.orElseThrow(() -> notFound(id));
            return generations.timelines(List.of(row.id()))
                    .map(timelines -> views.generation(row, timelines.get(row.id())));
        });
    }

    @GET
    @Operation(summary = "List generations", description = "Newest first, with cursor pagination")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Views.Page.class)))
    @APIResponse(responseCode = "400", description = "Invalid status, limit or cursor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Views.Page> list(
            @Parameter(description = "Only generations in this status") @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to 100 (default 20)") @QueryParam("limit") String limit,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Context HttpHeaders headers) {
        List<Problem.ProblemError> errors = new ArrayList<>();
        GenerationStatus statusFilter = null;
        if (status != null && !status.isBlank()) {
            statusFilter = GenerationStatus.fromWire(status).orElse(null);
            if (statusFilter == null) {
                errors.add(Problem.ProblemError.parameter("status", "status must be one of " + Arrays.stream(
                        GenerationStatus.values()).map(GenerationStatus::wire).collect(Collectors.joining(", "))));
            }
        }
        int pageSize = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                pageSize = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                pageSize = -1;
            }
            if (pageSize < 1 || pageSize > MAX_LIMIT) {
                errors.add(Problem.ProblemError.parameter("limit", "limit must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        PageCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = PageCursor.decode(cursor.trim()).orElse(null);
            if (after == null) {
                errors.add(Problem.ProblemError.parameter("cursor", "cursor must be a next_cursor from a previous page"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of(Problem.INVALID_REQUEST, "Invalid request", 400,
                    errors.size() + " query parameter(s) are invalid").withErrors(errors));
        }
        int size = pageSize;
        GenerationStatus filter = statusFilter;
        PageCursor from = after;
        return tenants.resolve(headers).chain(tenant -> generations.list(tenant, filter, from, size + 1)).chain(rows -> {
            List<GenerationRow> page = rows.size() > size ? rows.subList(0, size) : rows;
            String next = rows.size() > size
                    ? new PageCursor(page.get(size - 1).createdAt(), page.get(size - 1).id()).encode()
                    : null;
            return generations.timelines(page.stream().map(GenerationRow::id).toList()).map(timelines ->
                    new Views.Page(page.stream().map(g -> views.generation(g, timelines.get(g.id()))).toList(), next));
        });
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a generation",
            description = "Asks the platform to cancel one of your generations that has not ended. Answered 202: "
                    + "the cancellation is asynchronous. Not yet started at fal, it ends as cancelled and is never "
                    + "billed; already at fal, fal is asked to cancel it, and if fal finished first it completes "
                    + "(and is billed) as usual. The timeline shows cancel_requested at once; follow the status. "
                    + "Asking again while it is pending changes nothing.")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "202", description = "Cancel requested",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Views.CancelAccepted.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such generation for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The generation already ended (completed, failed, cancelled or "
            + "rejected): type urn:vidgen:problem:not-cancellable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> cancel(@PathParam("id") String id, @Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(tenant -> intake.cancel(tenant, id, CANCEL_REASON)
                .chain(outcome -> generations.find(tenant, id).map(found -> {
                    switch (outcome) {
                        case NOT_FOUND -> throw notFound(id);
                        case TERMINAL -> throw notCancellable(id, found.map(r -> r.status().wire()).orElse("finished"));
                        default -> {
                            GenerationRow row = found.orElseThrow(() -> notFound(id));
                            return Response.accepted(new Views.CancelAccepted(row.id(), row.status().wire(), true,
                                    GenerationViews.links(row.id()))).build();
                        }
                    }
                })));
    }

    /** The reason GenerationCancelRequested carries for a cancel over the API. */
    static final String CANCEL_REASON = "requested by the owner";

    static ProblemException notCancellable(String id, String status) {
        return new ProblemException(Problem.of(Problem.type("not-cancellable"), "Generation already finished",
                409, "generation " + id + " is already " + status + "; only a generation that has not ended can be cancelled"));
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @FollowedGeneration
    @Operation(summary = "Follow a generation as server-sent events",
            description = "One event (the generation, as GET answers it) now and one after every change of status, "
                    + "timeline or cost, pushed as it is recorded; the stream ends after a terminal status. A comment "
                    + "line every request.sse.heartbeat-interval keeps idle connections open. Open streams are capped "
                    + "per tenant and per server.")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "200", description = "The stream; each event's data is the generation",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(implementation = Views.Generation.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such generation for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many open streams (type urn:vidgen:problem:too-many-streams, "
            + "reason tenant_stream_limit or server_stream_limit): close one, or retry after Retry-After seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context RoutingContext routing, @Context Sse sse) {
        // StreamAdmission resolved the tenant and found the generation before the response started.
        String tenant = routing.get(StreamAdmission.TENANT);
        StreamSlots.Slot slot;
        try {
            slot = slots.take(tenant);
        } catch (StreamLimitReached full) {
            // Thrown before the stream is returned, so the client still gets a real 429.
            throw tooManyStreams(full);
        }
        return streams.follow(tenant, id, slot).map(event -> event instanceof StreamEvent.Changed changed
                ? sse.newEventBuilder().data(Views.Generation.class, changed.generation())
                        .mediaType(MediaType.APPLICATION_JSON_TYPE).build()
                : sse.newEventBuilder().comment("keep-alive").build());
    }

    private ProblemException tooManyStreams(StreamLimitReached full) {
        boolean tenantLimit = full.scope() == StreamLimitReached.Scope.TENANT;
        String detail = tenantLimit
                ? "this tenant already has " + full.limit() + " event streams open on this server; close one first"
                : "this server already has " + full.limit() + " event streams open; retry later";
        return new ProblemException(Problem.of(Problem.type("too-many-streams"), "Too many open streams", 429, detail)
                .withReason(tenantLimit ? "tenant_stream_limit" : "server_stream_limit"),
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    private Response render(Outcome outcome) {
        if (outcome instanceof Outcome.Accepted a) {
            return Response.accepted(views.accepted(a.id(), GenerationStatus.QUEUED.wire(), a.endpointId(), a.estimate()))
                    .location(URI.create(GenerationViews.BASE_PATH + a.id())).build();
        }
        if (outcome instanceof Outcome.Replayed r) {
            GenerationRow g = r.existing();
            return Response.accepted(views.accepted(g.id(), g.status().wire(), g.endpointId(), g.estimate()))
                    .location(URI.create(GenerationViews.BASE_PATH + g.id()))
                    .header(IdempotencyKeys.REPLAYED_HEADER, "true").build();
        }
        if (outcome instanceof Outcome.DryRun d) {
            return Response.ok(views.dryRun(d.request(), d.estimate())).build();
        }
        if (outcome instanceof Outcome.Invalid invalid) {
            List<Problem.ProblemError> errors = invalid.violations().stream()
                    .map(v -> Problem.ProblemError.at(v.pointer(), v.detail())).toList();
            // 422: the JSON is well-formed, its content breaks the catalog's rules.
            throw new ProblemException(Problem.of(Problem.INVALID_REQUEST, "Invalid generation request", 422,
                    errors.size() == 1 ? errors.get(0).detail() : errors.size() + " problems in the request; see errors")
                    .withErrors(errors));
        }
        if (outcome instanceof Outcome.KeyConflict) {
            throw IntakeProblems.keyReused(
                    "this Idempotency-Key was already used with a different request; use a new key for a new request");
        }
        if (outcome instanceof Outcome.Unpriceable u) {
            throw IntakeProblems.unpriceable("Generation cannot be priced", u);
        }
        throw new IllegalStateException("unhandled outcome " + outcome);
    }

    static ProblemException notFound(String id) {
        return new ProblemException(Problem.of(Problem.NOT_FOUND, "Generation not found", 404,
                "no generation " + id + " for this tenant"));
    }
}
