package ai.vidgen.storage.archive;

import ai.vidgen.storage.client.VideoDownloader;
import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import ai.vidgen.storage.domain.Mp4Info;
import ai.vidgen.storage.domain.Mp4Inspector;
import ai.vidgen.storage.objectstore.ObjectStore;
import ai.vidgen.storage.objectstore.ObjectStore.StoredObject;
import ai.vidgen.storage.objectstore.WorkDirectory;
import ai.vidgen.storage.persistence.WorkItem;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * One archive attempt: download, verify, store. Blocking from start to end (network, hashing,
 * parsing, disk), so it only ever runs on a worker thread.
 *
 * <p>Nothing reaches the object store before it is verified: a truncated or corrupt download is
 * deleted and reported as an {@link ArchiveFailure}, never archived.
 */
@ApplicationScoped
public class Archiver {

    static final String MP4 = "video/mp4";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Archiver.class);

    private final VideoDownloader downloader;
    private final ObjectStore store;
    private final Path workDir;
    private final PosterMaker posters;
    private final Mp4Inspector inspector = new Mp4Inspector();

    public Archiver(VideoDownloader downloader, ObjectStore store, WorkDirectory workDir, PosterMaker posters) {
        this.downloader = downloader;
        this.store = store;
        this.workDir = workDir.path();
        this.posters = posters;
    }

    /**
     * @throws ArchiveFailure        when the video is bad or unreachable
     * @throws UncheckedIOException  when our own disk or store fails (an infrastructure failure)
     */
    public ArchivedVideo archive(WorkItem item, String objectKey) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // A download here would stall every request and record sharing this event loop.
            throw new IllegalStateException("archive() blocks and must not run on a Vert.x event loop");
        }
        if (item.sourceUrl() == null || item.sourceUrl().isBlank()) {
            throw new ArchiveFailure(FailureReason.INVALID_EVENT, "the completion carries no video URL");
        }
        Path file = workDir.resolve(item.generationId() + "-" + UUID.randomUUID() + ".download");
        try {
            VideoDownloader.Download download = downloader.download(item.sourceUrl(), file);
            if (item.expectedBytes() != null && download.bytes() != item.expectedBytes()) {
                throw new ArchiveFailure(FailureReason.SIZE_MISMATCH, "downloaded " + download.bytes()
                        + " bytes, fal announced " + item.expectedBytes());
            }
            if (item.expectedSha256() != null && !item.expectedSha256().equalsIgnoreCase(download.sha256())) {
                throw new ArchiveFailure(FailureReason.CHECKSUM_MISMATCH, "the download's SHA-256 is "
                        + download.sha256() + ", the announced one " + item.expectedSha256());
            }
            Mp4Info mp4 = inspector.inspect(file);
            // Before the put: the file-system store moves the file away.
            Optional<Path> poster = posters.make(file, mp4);
            StoredObject stored = store.put(objectKey, file, MP4);
            if (stored.bytes() != download.bytes()) {
                throw new UncheckedIOException(new IOException("the store holds " + stored.bytes()
                        + " bytes of " + objectKey + " after writing " + download.bytes()));
            }
            String posterKey = poster.isPresent() ? storePoster(objectKey, poster.get()) : null;
            return new ArchivedVideo(objectKey, stored.location().toString(), stored.bytes(), download.sha256(), MP4, mp4,
                    posterKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + objectKey, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A stray work file is harmless; the work directory is ours alone.
            }
        }
    }

    /** Stores the poster next to the video; a poster that cannot be stored is left out. */
    private String storePoster(String objectKey, Path poster) {
        String key = PosterMaker.posterKey(objectKey);
        try {
            store.put(key, poster, "image/jpeg");
            return key;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot store the poster %s, archiving without it: %s", key, e.getMessage());
            return null;
        } finally {
            try {
                Files.deleteIfExists(poster);
            } catch (IOException ignored) {
                // harmless
            }
        }
    }
}
