package ai.vidgen.storage.objectstore;

import ai.vidgen.storage.config.StorageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Chooses the object store from {@code storage.object-store}: {@code filesystem} or {@code s3}. */
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
            case S3 -> s3Store();
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

    void close(@jakarta.enterprise.inject.Disposes ObjectStore store) {
        if (store instanceof S3ObjectStore s3) {
            s3.close();
        }
    }

    private S3ObjectStore s3Store() {
        StorageConfig.S3 s3 = config.s3();
        AwsCredentialsProvider credentials = s3.accessKeyId().isPresent() && s3.secretAccessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKeyId().get(),
                        s3.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration service = S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyleAccess()).build();
        Region region = Region.of(s3.region());
        S3ClientBuilder client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(service)
                // Checksums only where S3 requires them: S3-compatible servers differ in their
                // support for the SDK's default trailing CRC checksums.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        S3Presigner.Builder presigner = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(service);
        s3.endpoint().ifPresent(endpoint -> {
            client.endpointOverride(endpoint);
            presigner.endpointOverride(endpoint);
        });
        S3ObjectStore store = new S3ObjectStore(client.build(), presigner.build(), s3.bucket(),
                s3.multipartThreshold(), s3.partSize());
        if (s3.createBucket()) {
            store.createBucketIfMissing();
        }
        return store;
    }

    private FileSystemObjectStore fileSystemStore() {
        try {
            return new FileSystemObjectStore(Path.of(config.filesystem().root()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the object store root " + config.filesystem().root(), e);
        }
    }
}
