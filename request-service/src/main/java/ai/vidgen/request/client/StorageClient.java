package ai.vidgen.request.client;

import ai.vidgen.platform.auth.ServiceTokenHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * storage-service's inputs route, as the front door uses it. URL: {@code quarkus.rest-client.storage.url}
 * (the address services reach it at, not the public one). The route is internal: every call
 * carries {@code Authorization: Bearer <service token>}.
 */
@RegisterRestClient(configKey = "storage")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1/inputs")
public interface StorageClient {

    /** Stores the bytes for the tenant; the same bytes again answer the same input. */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StoredInput> upload(@QueryParam("tenant") String tenant,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] bytes);

    /** storage-service's answer; only the id matters here. */
    record StoredInput(String id, String tenantId, String contentType, long bytes, String sha256) {
    }
}
