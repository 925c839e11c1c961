package ai.vidgen.storage.objectstore;

import ai.vidgen.storage.config.StorageConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes downloads and staged writes left behind by a crash. Files younger than twice the longest
 * possible download are left alone, so a download in progress is never touched.
 */
@ApplicationScoped
public class WorkDirectoryJanitor {

    private static final Logger LOG = Logger.getLogger(WorkDirectoryJanitor.class);

    private final Path workDir;
    private final Duration keep;

    public WorkDirectoryJanitor(WorkDirectory workDir, StorageConfig config) {
        this.workDir = workDir.path();
        this.keep = config.download().timeout().multipliedBy(2);
    }

    // Runs on a worker thread (a blocking @Scheduled method), never on the event loop.
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant cutoff = Instant.now().minus(keep);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(workDir, "*.{download,part}")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                    LOG.infof("deleted abandoned work file %s", file.getFileName());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot sweep the work directory %s: %s", workDir, e.getMessage());
        }
    }
}
