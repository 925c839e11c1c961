package ai.vidgen.storage.objectstore;

import ai.vidgen.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses the object store from {@code storage.object-store}; the S3 store will be added here. */
@ApplicationScoped
public class ObjectStoreProducer {

    private final StorageConfig config;

    public ObjectStoreProducer(StorageConfig config) {
        this.config = config;
    }

    // @Singleton, not @ApplicationScoped: no client proxy, so the real type stays visible below.
    @Produces
    @Singleton
    ObjectStore objectStore() {
        return switch (config.objectStore()) {
            case FILESYSTEM -> fileSystemStore();
        };
    }

    /**
     * Where downloads are written while they are verified. By default the file-system store's own
     * staging directory, so archiving a verified file is a rename rather than a second copy.
     */
    @Produces
    @Singleton
    WorkDirectory workDirectory(ObjectStore store) {
        try {
            Path dir = config.download().workDir().map(Path::of)
                    .orElseGet(() -> store instanceof FileSystemObjectStore fs ? fs.stagingDirectory()
                            : Path.of(System.getProperty("java.io.tmpdir"), "vidgen-storage-work"));
            return new WorkDirectory(Files.createDirectories(dir.toAbsolutePath().normalize()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the download work directory", e);
        }
    }

    private FileSystemObjectStore fileSystemStore() {
        try {
            return new FileSystemObjectStore(Path.of(config.filesystem().root()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the object store root " + config.filesystem().root(), e);
        }
    }
}
