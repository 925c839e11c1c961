package ai.vidgen.faladapter.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * fal's queue API as a Quarkus REST Client. Built programmatically by {@link FalClient} with the
 * configured queue URL as base and the default exception mapper disabled, so every answer, 4xx
 * and 5xx included, arrives as a {@link Response} to classify.
 */
public interface FalQueueApi {

    /**
     * {@code POST {queue-url}/{endpointId}}. The endpoint id has slashes
     * ({@code fal-ai/kling-video/v3/pro/text-to-video}): {@code @Encoded} with the {@code .+}
     * template keeps them as path separators instead of {@code %2F}.
     */
    @POST
    @Path("/{endpointId: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> submit(@PathParam("endpointId") @Encoded String endpointId,
            @QueryParam("fal_webhook") String webhookUrl,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Fal-Queue-Priority") String priority,
            @HeaderParam("X-Fal-Request-Timeout") String startTimeoutSeconds,
            @HeaderParam("User-Agent") String userAgent,
            JsonNode input);

    /** {@code PUT} of an absolute cancel URL. */
    @PUT
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> cancel(@Url String cancelUrl,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("User-Agent") String userAgent);

    /** {@code GET} of an absolute status URL (as fal returned it on submit, or built by the app-id rule). */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> status(@Url String statusUrl, @QueryParam("logs") String logs,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("User-Agent") String userAgent);

    /** {@code GET} of an absolute response (result) URL. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> result(@Url String responseUrl,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam("User-Agent") String userAgent);
}
