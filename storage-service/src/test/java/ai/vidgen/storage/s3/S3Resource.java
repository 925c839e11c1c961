package ai.vidgen.storage.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts s3proxy for a Quarkus test and points {@code storage.object-store=s3} at it. */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    /** The server of the running test, for tests that look at what it holds. */
    private static volatile S3Server current;

    private S3Server server;

    public static S3Server current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        server = S3Server.start();
        current = server;
        return Map.of(
                "storage.object-store", "s3",
                "storage.s3.endpoint", server.endpoint(),
                "storage.s3.path-style-access", "true",
                "storage.s3.region", "us-east-1",
                "storage.s3.bucket", "vidgen-test-videos",
                "storage.s3.access-key-id", S3Server.ACCESS_KEY,
                "storage.s3.secret-access-key", S3Server.SECRET_KEY,
                "storage.s3.create-bucket", "true",
                // small parts, so that the clips of the suite exercise multipart uploads too
                "storage.s3.multipart-threshold", "65536",
                "storage.s3.part-size", "5242880");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
