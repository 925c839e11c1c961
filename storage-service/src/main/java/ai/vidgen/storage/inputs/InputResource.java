package ai.vidgen.storage.inputs;

import ai.vidgen.platform.auth.ServiceOnly;
import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.api.ObjectResponses;
import ai.vidgen.storage.api.SignedLinks;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
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
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Inputs a generation request carried inline. request-service uploads them here
 * ({@link ServiceOnly}: its service token) and hands fal a signed link instead of the bytes, so
 * the platform's events stay small. Reading one needs a signed link, exactly as a video does.
 */
@Path("/v1/inputs")
public class InputResource {

    private final InputService inputs;
    private final ObjectResponses responses;
    private final SignedLinks links;

    public InputResource(InputService inputs, ObjectResponses responses, SignedLinks links) {
        this.inputs = inputs;
        this.responses = responses;
        this.links = links;
    }

    @POST
    @ServiceOnly
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store an input (the raw bytes, with their Content-Type) for a tenant; platform services only",
            description = "201 with the input when stored, 200 when the same bytes were stored for the tenant before "
                    + "(the id derives from tenant and bytes). 413 above storage.inputs.max-bytes, 415 unless an "
                    + "image, video or audio type.")
    public Response upload(@QueryParam("tenant") String tenant, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            InputStream body) {
        InputService.Upload upload = inputs.store(tenant, type, body);
        return Response.status(upload.created() ? 201 : 200).entity(upload.input()).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "An uploaded input (supports Range)",
            description = "A link signed by request-service: tenant, expires, kid and sig")
    public Uni<Response> get(@PathParam("id") String id, @Context UriInfo uri, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return serve(id, uri, range, ifRange, ifNoneMatch, true);
    }

    @HEAD
    @Path("{id}")
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "The headers of an uploaded input, without the body")
    public Uni<Response> head(@PathParam("id") String id, @Context UriInfo uri, @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return serve(id, uri, range, ifRange, ifNoneMatch, false);
    }

    private Uni<Response> serve(String id, UriInfo uri, String range, String ifRange, String ifNoneMatch,
            boolean body) {
        String tenant;
        try {
            tenant = links.tenant(SignedUrls.input(id), uri);
        } catch (ProblemException forbidden) {
            return Uni.createFrom().failure(forbidden);
        }
        return inputs.find(id).map(found -> {
            StoredInput input = found.orElseThrow(() -> ProblemException.of(404, "input-not-found",
                    "Input not found", "no input " + id + " for this tenant"));
            if (!input.tenantId().equals(tenant)) {
                throw SignedLinks.forbidden();
            }
            Response answer = responses.serve(new ObjectResponses.Served(InputService.objectKey(input),
                    input.contentType(), input.bytes(), input.sha256(), input.createdAt()), range, ifRange,
                    ifNoneMatch, body, "input");
            // Uploaded by a tenant: never sniffed into something else, never run as a page.
            return Response.fromResponse(answer).header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "sandbox").build();
        });
    }
}
