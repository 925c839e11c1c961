package ai.vidgen.storage.api;

import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.domain.VideoStatus;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Serves archived videos to whoever holds a link that request-service signed for the video's
 * tenant ({@link SignedLinks}), with HTTP Range support so players can seek and downloads can
 * resume.
 *
 * <p>A missing, expired or altered signature, and a signature for another tenant or video, are
 * all answered with the same 403, whether the video exists or not. Only a valid link to a video
 * that is not (or no longer) archived gets a 404.
 *
 * <p>Nothing here blocks: the row comes from Hibernate Reactive and the bytes go out with the
 * OS's sendfile for the file-system store.
 */
@Path("/v1/videos")
public class VideoResource {

    private static final String VIDEO_MP4 = "video/mp4";
    private static final String SIGNED = "A link signed by request-service: tenant, expires, kid and sig";

    private final VideoRepository videos;
    private final ObjectResponses responses;
    private final SignedLinks links;

    public VideoResource(VideoRepository videos, ObjectResponses responses, SignedLinks links) {
        this.videos = videos;
        this.responses = responses;
        this.links = links;
    }

    @GET
    @Path("{generationId}")
    @Produces(VIDEO_MP4)
    @WithSession
    @Operation(summary = "The archived MP4 (supports Range, If-Range, If-None-Match)", description = SIGNED)
    public Uni<Response> video(@PathParam("generationId") String generationId, @Context UriInfo uri,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return archived(generationId, uri).map(row -> responses.serve(served(row), range, ifRange, ifNoneMatch, true,
                "video"));
    }

    @HEAD
    @Path("{generationId}")
    @Produces(VIDEO_MP4)
    @WithSession
    @Operation(summary = "The headers of the archived MP4, without the body", description = SIGNED)
    public Uni<Response> head(@PathParam("generationId") String generationId, @Context UriInfo uri,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return archived(generationId, uri).map(row -> responses.serve(served(row), range, ifRange, ifNoneMatch, false,
                "video"));
    }

    @GET
    @Path("{generationId}/metadata")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    @Operation(summary = "What was verified about the video, or why archiving it failed", description = SIGNED)
    public Uni<VideoMetadata> metadata(@PathParam("generationId") String generationId, @Context UriInfo uri) {
        return owned(generationId, uri).map(VideoMetadata::of);
    }

    @GET
    @Path("{generationId}/poster")
    @Produces("image/jpeg")
    @WithSession
    @Operation(summary = "A poster frame of the video (JPEG), when one could be made", description = SIGNED)
    public Uni<Response> poster(@PathParam("generationId") String generationId, @Context UriInfo uri) {
        return archived(generationId, uri).map(row -> {
            if (row.posterKey == null) {
                throw ProblemException.of(404, "poster-not-found", "Poster not found",
                        "no poster frame was made for this video");
            }
            return responses.whole(row.posterKey, "image/jpeg", "poster");
        });
    }

    /**
     * The video's row, once the link is known to be signed for this generation and for the tenant
     * that owns it. The signature is checked first, so nothing about the id shows before it.
     */
    private Uni<VideoEntity> owned(String generationId, UriInfo uri) {
        String tenant;
        try {
            tenant = links.tenant(SignedUrls.video(generationId), uri);
        } catch (ProblemException forbidden) {
            return Uni.createFrom().failure(forbidden);
        }
        if (!ObjectKeys.isSafeId(generationId)) {
            return Uni.createFrom().failure(videoNotFound(generationId));
        }
        return videos.findById(generationId).map(row -> {
            if (row == null) {
                throw videoNotFound(generationId);
            }
            if (!row.tenantId.equals(tenant)) {
                // Only a holder of the signing key could make such a link; it opens nothing.
                throw SignedLinks.forbidden();
            }
            return row;
        });
    }

    private static ProblemException videoNotFound(String generationId) {
        return ProblemException.of(404, "video-not-found", "Video not found",
                "no archived video " + generationId + " for this tenant");
    }

    private Uni<VideoEntity> archived(String generationId, UriInfo uri) {
        return owned(generationId, uri).map(row -> {
            if (row.status != VideoStatus.ARCHIVED) {
                throw videoNotFound(generationId);
            }
            return row;
        });
    }

    private static ObjectResponses.Served served(VideoEntity row) {
        return new ObjectResponses.Served(row.objectKey, VIDEO_MP4, row.bytes, row.sha256, row.archivedAt);
    }
}
