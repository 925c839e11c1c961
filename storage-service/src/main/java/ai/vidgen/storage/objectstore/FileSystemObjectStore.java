package ai.vidgen.storage.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Objects as files under a root directory, the key being the relative path.
 *
 * <p>Writes go to {@code .staging/} under the root first and are then renamed into place
 * atomically, so a crash leaves either the old object or the new one, never a partial file
 * (an interrupted write leaves only a stray staging file, which a restart may delete).
 */
public final class FileSystemObjectStore implements ObjectStore {

    static final String STAGING = ".staging";

    private final Path root;

    public FileSystemObjectStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve(STAGING));
    }

    public Path root() {
        return root;
    }

    /** A directory on the store's own disk, where a file can be prepared for a cheap {@link #put}. */
    public Path stagingDirectory() {
        return root.resolve(STAGING);
    }

    @Override
    public StoredObject put(String key, Path file, String contentType) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path staged = root.resolve(STAGING).resolve(UUID.randomUUID() + ".part");
        try {
            // A rename when the file is already on this disk, a copy otherwise.
            Files.move(file, staged, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                channel.force(true); // durable before it becomes visible under its key
            }
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
        return new StoredObject(key, location(key), Files.size(target));
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        Path path = resolve(key);
        try {
            return Optional.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(resolve(key), StandardOpenOption.READ);
        try {
            channel.position(offset);
            return new BoundedInputStream(Channels.newInputStream(channel), length);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(resolve(key));
    }

    @Override
    public URI location(String key) {
        return resolve(key).toUri();
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path path = resolve(key);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** Keys are relative paths that must stay under the root, whatever they contain. */
    private Path resolve(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.startsWith(STAGING)) {
            throw new IllegalArgumentException("invalid object key");
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("object key escapes the store root");
        }
        return path;
    }
}
