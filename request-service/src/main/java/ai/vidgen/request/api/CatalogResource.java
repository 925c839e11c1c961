package ai.vidgen.request.api;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.request.domain.InputCatalog;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Kling catalog as this platform validates it: every endpoint with its parameters. */
@Path("/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "catalog", description = "The Kling endpoints on fal and the rules their input must follow")
public class CatalogResource {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Catalog(List<Endpoint> endpoints) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Endpoint(String endpointId, String family, String tier, String mode, String produces,
            List<Parameter> parameters) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Parameter(String name, String type, boolean required, Object defaultValue, List<String> values,
            String limits, Integer maxLength, Integer maxItems) {
    }

    private static final Catalog CATALOG = new Catalog(Arrays.stream(KlingEndpoint.values())
            .map(e -> new Endpoint(e.id(), e.family().name().toLowerCase(), e.tier().name().toLowerCase(),
                    e.mode().name().toLowerCase(), e.producesVideo() ? "video" : "image",
                    InputCatalog.params(e).values().stream().map(p -> new Parameter(p.name(),
                            p.type().name().toLowerCase(), p.required(), p.defaultValue(), p.values(), p.limits(),
                            p.maxLength(), p.maxItems()))
                            .toList()))
            .toList());

    @GET
    @Operation(summary = "Every endpoint and its input parameters: types, defaults, allowed values and limits",
            description = "Public: no tenant needed. POST /v1/generations refuses an input that breaks these rules "
                    + "with 422, one error per field.")
    public Catalog catalog() {
        return CATALOG;
    }
}
