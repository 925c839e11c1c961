package ai.vidgen.storage.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ByteRange;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.domain.VideoStatus;
import ai.vidgen.storage.objectstore.ObjectStore;
import ai.vidgen.storage.persistence.VideoEntity;
import ai.vidgen.storage.persistence.VideoRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Serves archived videos to the tenant that owns them, with HTTP Range support so players can seek
 * and downloads can resume.
 *
 * <p>The tenant comes from {@code X-Tenant-Id} until request-service's API-key authentication
 * stands in front of this service. A video of another tenant is answered exactly like a missing
 * one (404), so ids of other tenants' videos cannot be probed.
 *
 * <p>Nothing here blocks: the row comes from Hibernate Reactive and the bytes go out with the
 * OS's sendfile (a {@link PathPart}) for the file-system store.
 */
@Path("/v1/videos")
public class VideoResource {

    static final String TENANT_HEADER = "X-Tenant-Id";
    private static final String VIDEO_MP4 = "video/mp4";

    private final VideoRepository videos;
    private final ObjectStore store;
    private final Duration presignValidity;

    public VideoResource(VideoRepository videos, ObjectStore store, StorageConfig config) {
        this.videos = videos;
        this.store = store;
        this.presignValidity = config.s3().presignValidity();
    }

    @GET
    @Path("{generationId}")
    @Produces(VIDEO_MP4)
    @WithSession
    @Operation(summary = "The archived MP4 (supports Range, If-Range, If-None-Match)")
    public Uni<Response> video(@PathParam("generationId") String generationId,
            @Parameter(description = "The tenant asking; stands in for API-key auth") @HeaderParam(TENANT_HEADER) String tenantId,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return archived(generationId, tenantId).map(row -> serve(row, range, ifRange, ifNoneMatch, true));
    }

    @HEAD
    @Path("{generationId}")
    @Produces(VIDEO_MP4)
    @WithSession
    @Operation(summary = "The headers of the archived MP4, without the body")
    public Uni<Response> head(@PathParam("generationId") String generationId,
            @HeaderParam(TENANT_HEADER) String tenantId,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return archived(generationId, tenantId).map(row -> serve(row, range, ifRange, ifNoneMatch, false));
    }

    @GET
    @Path("{generationId}/metadata")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    @Operation(summary = "What was verified about the video, or why archiving it failed")
    public Uni<VideoMetadata> metadata(@PathParam("generationId") String generationId,
            @HeaderParam(TENANT_HEADER) String tenantId) {
        return owned(generationId, tenantId).map(VideoMetadata::of);
    }

    @GET
    @Path("{generationId}/poster")
    @Produces("image/jpeg")
    @WithSession
    @Operation(summary = "A poster frame of the video (JPEG), when one could be made")
    public Uni<Response> poster(@PathParam("generationId") String generationId,
            @HeaderParam(TENANT_HEADER) String tenantId) {
        return archived(generationId, tenantId).map(row -> {
            if (row.posterKey == null) {
                throw ProblemException.of(404, "poster-not-found", "Poster not found",
                        "no poster frame was made for this video");
            }
            Optional<java.nio.file.Path> file = store.localFile(row.posterKey);
            if (file.isPresent()) {
                return Response.ok(file.get().toFile(), "image/jpeg")
                        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400").build();
            }
            return store.presignedGet(row.posterKey, presignValidity)
                    .map(uri -> Response.temporaryRedirect(uri).header(HttpHeaders.CACHE_CONTROL, "no-store").build())
                    .orElseThrow(() -> ProblemException.of(503, "video-unavailable", "Poster unavailable",
                            "the poster cannot be read from the object store right now"));
        });
    }

    private Uni<VideoEntity> owned(String generationId, String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            return Uni.createFrom().failure(ProblemException.of(400, "missing-tenant", "Missing tenant",
                    "the " + TENANT_HEADER + " header is required"));
        }
        if (!ObjectKeys.isSafeId(generationId)) {
            return Uni.createFrom().failure(videoNotFound(generationId));
        }
        return videos.findById(generationId).map(row -> {
            if (row == null || !row.tenantId.equals(tenantId.trim())) {
                throw videoNotFound(generationId);
            }
            return row;
        });
    }

    /**
     * Unknown, not yet archived, and owned by another tenant all look the same, so a caller cannot
     * learn which generation ids exist.
     */
    private static ProblemException videoNotFound(String generationId) {
        return ProblemException.of(404, "video-not-found", "Video not found",
                "no archived video " + generationId + " for this tenant");
    }

    private Uni<VideoEntity> archived(String generationId, String tenantId) {
        return owned(generationId, tenantId).map(row -> {
            if (row.status != VideoStatus.ARCHIVED) {
                throw videoNotFound(generationId);
            }
            return row;
        });
    }

    private Response serve(VideoEntity row, String rangeHeader, String ifRange, String ifNoneMatch, boolean body) {
        String etag = "\"" + row.sha256 + "\"";
        String lastModified = httpDate(row.archivedAt);
        long size = row.bytes;
        if (ifNoneMatch != null && matchesAny(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        // If-Range: a client resuming a download of an older copy gets the whole current one instead.
        ByteRange.Request request = ifRange == null || ifRangeHolds(ifRange.trim(), etag, row.archivedAt)
                ? ByteRange.parse(rangeHeader, size)
                : new ByteRange.Full();
        if (request instanceof ByteRange.Unsatisfiable) {
            throw new ProblemException(Problem.of(Problem.type("range-not-satisfiable"), "Range not satisfiable", 416,
                    "the video has " + size + " bytes"), Map.of("Content-Range", ByteRange.unsatisfiedContentRange(size),
                            "Accept-Ranges", "bytes"));
        }
        long offset = 0;
        long length = size;
        Response.ResponseBuilder builder;
        if (request instanceof ByteRange.Partial partial) {
            offset = partial.range().first();
            length = partial.range().length();
            builder = Response.status(206).header("Content-Range", partial.range().contentRange());
        } else {
            builder = Response.ok();
        }
        builder.type(VIDEO_MP4)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, lastModified)
                // The video belongs to one tenant: browsers may keep it, shared caches must not.
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400");
        if (!body) {
            return builder.header(HttpHeaders.CONTENT_LENGTH, length).build();
        }
        Optional<java.nio.file.Path> file = store.localFile(row.objectKey);
        if (file.isPresent()) {
            return builder.entity(new PathPart(file.get(), offset, length)).build();
        }
        Optional<URI> presigned = store.presignedGet(row.objectKey, presignValidity);
        if (presigned.isPresent()) {
            // The store answers the Range itself; the tenant check above is what this hop adds.
            return Response.temporaryRedirect(presigned.get()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        throw ProblemException.of(503, "video-unavailable", "Video unavailable",
                "the archived video cannot be read from the object store right now");
    }

    private static boolean matchesAny(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §13.1.5: a strong entity tag must match exactly, a date must equal Last-Modified. */
    private static boolean ifRangeHolds(String ifRange, String etag, Instant lastModified) {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return ifRange.equals(etag);
        }
        try {
            Instant date = ZonedDateTime.parse(ifRange, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return date.equals(lastModified.truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atZone(ZoneOffset.UTC));
    }
}
