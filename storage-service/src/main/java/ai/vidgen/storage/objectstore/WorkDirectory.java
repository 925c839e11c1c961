package ai.vidgen.storage.objectstore;

import java.nio.file.Path;

/** The directory downloads are written to while they are verified (see {@code storage.download.work-dir}). */
public record WorkDirectory(Path path) {
}
