package ai.vidgen.storage.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.ByteRange;
import ai.vidgen.storage.objectstore.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
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
import org.jboss.resteasy.reactive.PathPart;

/**
 * Answers a GET or HEAD of one stored object with HTTP's validators and byte ranges, the same way
 * for videos and uploaded inputs: {@code ETag} (the quoted SHA-256), {@code Last-Modified},
 * {@code If-None-Match} (304), {@code If-Range}, {@code Range} (206 / 416). The file-system store
 * sends the bytes with sendfile; S3 gets a 307 to a presigned GET, which answers the range itself.
 */
@ApplicationScoped
public class ObjectResponses {

    /** What is known about the object from its row, enough to answer without touching the store. */
    public record Served(String key, String contentType, long size, String sha256, Instant lastModified) {
    }

    private final ObjectStore store;
    private final Duration presignValidity;

    public ObjectResponses(ObjectStore store, StorageConfig config) {
        this.store = store;
        this.presignValidity = config.s3().presignValidity();
    }

    /**
     * @param body false for HEAD: the same headers, no bytes and never a redirect
     * @param what how the object is named in error details ("video", "input")
     */
    public Response serve(Served object, String rangeHeader, String ifRange, String ifNoneMatch, boolean body,
            String what) {
        String etag = "\"" + object.sha256() + "\"";
        long size = object.size();
        if (ifNoneMatch != null && matchesAny(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        // If-Range: a client resuming a download of an older copy gets the whole current one instead.
        ByteRange.Request request = ifRange == null || ifRangeHolds(ifRange.trim(), etag, object.lastModified())
                ? ByteRange.parse(rangeHeader, size)
                : new ByteRange.Full();
        if (request instanceof ByteRange.Unsatisfiable) {
            throw new ProblemException(Problem.of(Problem.type("range-not-satisfiable"), "Range not satisfiable", 416,
                    "the " + what + " has " + size + " bytes"), Map.of("Content-Range",
                            ByteRange.unsatisfiedContentRange(size), "Accept-Ranges", "bytes"));
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
        builder.type(object.contentType())
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.LAST_MODIFIED, httpDate(object.lastModified()))
                // One tenant's object: browsers may keep it, shared caches must not.
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400");
        if (!body) {
            return builder.header(HttpHeaders.CONTENT_LENGTH, length).build();
        }
        Optional<java.nio.file.Path> file = store.localFile(object.key());
        if (file.isPresent()) {
            return builder.entity(new PathPart(file.get(), offset, length)).build();
        }
        Optional<URI> presigned = store.presignedGet(object.key(), presignValidity);
        if (presigned.isPresent()) {
            // The store answers the Range itself; the signature check before this is what this hop adds.
            return Response.temporaryRedirect(presigned.get()).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        }
        throw ProblemException.of(503, what + "-unavailable", "Object unavailable",
                "the " + what + " cannot be read from the object store right now");
    }

    /** A file sent whole (a poster), from disk or as a redirect to a presigned GET. */
    public Response whole(String key, String contentType, String what) {
        Optional<java.nio.file.Path> file = store.localFile(key);
        if (file.isPresent()) {
            return Response.ok(file.get().toFile(), contentType)
                    .header(HttpHeaders.CACHE_CONTROL, "private, max-age=86400").build();
        }
        return store.presignedGet(key, presignValidity)
                .map(uri -> Response.temporaryRedirect(uri).header(HttpHeaders.CACHE_CONTROL, "no-store").build())
                .orElseThrow(() -> ProblemException.of(503, "video-unavailable", "Object unavailable",
                        "the " + what + " cannot be read from the object store right now"));
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
