package ai.vidgen.storage.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where archived videos live: the local file system on the embedded stack, S3-compatible storage
 * in production. Every method blocks; call them off the event loop.
 *
 * <p>The shape suits both: {@link #put} takes a finished local file (S3 can then upload it in
 * parallel parts and retry a part, and knows the length up front), reads are byte ranges (S3's
 * {@code GetObject} with {@code Range}), and writes are all-or-nothing (a rename here, a completed
 * multipart upload there), so a reader never sees half a video under a key.
 */
public interface ObjectStore {

    /**
     * Stores the file under {@code key}, replacing what is there. The store may move the file into
     * place instead of copying it, so the caller must not rely on it afterwards (but should delete
     * it if it still exists).
     */
    StoredObject put(String key, Path file, String contentType) throws IOException;

    /** The object's size, or empty when there is no object under the key. */
    Optional<Long> size(String key) throws IOException;

    /** Reads {@code length} bytes from {@code offset}; the caller closes the stream. */
    InputStream openRange(String key, long offset, long length) throws IOException;

    /** @return whether there was an object to delete */
    boolean delete(String key) throws IOException;

    /** Where the object lives, e.g. {@code file:///var/lib/vidgen/videos/...} or {@code s3://bucket/key}. */
    URI location(String key);

    /**
     * The object as a local file, when the store has one. The HTTP layer then lets the OS send the
     * bytes (sendfile) without copying them through the JVM or blocking a thread.
     */
    default Optional<Path> localFile(String key) {
        return Optional.empty();
    }

    /**
     * A time-limited URL a client may fetch the object from directly (an S3 presigned GET), for
     * stores without local files. Range requests then go to the store itself.
     */
    default Optional<URI> presignedGet(String key, Duration validFor) {
        return Optional.empty();
    }

    record StoredObject(String key, URI location, long bytes) {
    }
}
