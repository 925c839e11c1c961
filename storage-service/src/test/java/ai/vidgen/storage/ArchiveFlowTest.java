package ai.vidgen.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.VideoArchived;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@link ArchiveSuite} against the file-system object store. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ArchiveFlowTest extends ArchiveSuite {

    @ConfigProperty(name = "storage.filesystem.root")
    String storeRoot;

    @Override
    void assertStoredCopy(VideoArchived archived, Path clip) throws IOException {
        assertTrue(archived.location().startsWith("file:/"), archived.location());
        Path stored = Path.of(URI.create(archived.location()));
        assertTrue(Files.isRegularFile(stored));
        assertEquals(Files.size(clip), Files.size(stored));
        assertEquals(TestMedia.sha256(clip), TestMedia.sha256(stored));
        assertTrue(stored.endsWith(archived.objectKey()));
    }

    @Override
    long filesNamed(String name) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of(storeRoot))) {
            return files.filter(p -> p.getFileName().toString().equals(name)).count();
        }
    }
}
