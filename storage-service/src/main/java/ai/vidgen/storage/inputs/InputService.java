package ai.vidgen.storage.inputs;

import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.domain.InputIds;
import ai.vidgen.storage.domain.ObjectKeys;
import ai.vidgen.storage.objectstore.ObjectStore;
import ai.vidgen.storage.objectstore.WorkDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Stores an input that a request carried inline: the bytes are streamed to a work file (hashed
 * and counted on the way, never held whole in memory), put into the object store under their
 * content-derived key, then recorded. The object goes first, so a row always has its object; an
 * upload interrupted in between is simply repeated by the caller and lands on the same key.
 */
@ApplicationScoped
public class InputService {

    private static final Logger LOG = Logger.getLogger(InputService.class);

    private final ObjectStore store;
    private final InputRepository inputs;
    private final Path workDir;
    private final long maxBytes;

    public InputService(ObjectStore store, InputRepository inputs, WorkDirectory workDir, StorageConfig config) {
        this.store = store;
        this.inputs = inputs;
        this.workDir = workDir.path();
        this.maxBytes = config.inputs().maxBytes();
    }

    /** The result of an upload: the input, and whether this call stored it (or found it stored). */
    public record Upload(StoredInput input, boolean created) {
    }

    /** Blocks (file and object-store I/O): call it on a worker thread. */
    public Upload store(String tenantId, String contentType, InputStream body) {
        if (!ObjectKeys.isSafeId(tenantId)) {
            throw ProblemException.of(400, "invalid-parameter", "Invalid tenant",
                    "the query parameter tenant must be a tenant id ([A-Za-z0-9][A-Za-z0-9._-]{0,127})");
        }
        String type = InputIds.mediaType(contentType).orElseThrow(() -> ProblemException.of(415,
                "unsupported-media-type", "Unsupported media type",
                "an input must be an image (not SVG), a video or audio; Content-Type was "
                        + (contentType == null ? "missing" : contentType)));
        Path file = workDir.resolve("input-" + UUID.randomUUID() + ".download");
        try {
            Received received = receive(tenantId, body, file);
            String id = InputIds.id(received.idDigest());
            Optional<StoredInput> existing = inputs.find(id).await().indefinitely();
            if (existing.isPresent()) {
                return new Upload(existing.get(), false);
            }
            String key = InputIds.objectKey(tenantId, id);
            store.put(key, file, type);
            StoredInput stored = inputs.record(id, tenantId, key, type, received.bytes(), received.sha256())
                    .await().indefinitely();
            LOG.debugf("stored input %s of tenant %s (%d bytes, %s)", id, tenantId, received.bytes(), type);
            return new Upload(stored, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an input of tenant " + tenantId, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete the work file %s: %s", file, e.getMessage());
            }
        }
    }

    public Uni<Optional<StoredInput>> find(String id) {
        return InputIds.isId(id) ? inputs.find(id) : Uni.createFrom().item(Optional.empty());
    }

    /** The object key of a stored input. */
    public static String objectKey(StoredInput input) {
        return InputIds.objectKey(input.tenantId(), input.id());
    }

    private record Received(byte[] idDigest, String sha256, long bytes) {
    }

    /** Copies the body to {@code file}, refusing it as soon as it passes the size cap. */
    private Received receive(String tenantId, InputStream body, Path file) throws IOException {
        MessageDigest id = sha256();
        MessageDigest content = sha256();
        id.update(InputIds.digestPrefix(tenantId));
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = body; OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw ProblemException.of(413, "input-too-large", "Input too large",
                            "an input may have at most " + maxBytes + " bytes (storage.inputs.max-bytes)");
                }
                id.update(buffer, 0, n);
                content.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        if (total == 0) {
            throw ProblemException.of(400, "empty-input", "Empty input", "the upload has no bytes");
        }
        return new Received(id.digest(), HexFormat.of().formatHex(content.digest()), total);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
