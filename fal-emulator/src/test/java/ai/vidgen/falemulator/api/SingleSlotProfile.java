package ai.vidgen.falemulator.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One slot and a long inference, so queued and running states last long enough to observe even
 * from a cold test JVM, whose first HTTP calls can take over a second, and a cancel sent once a
 * request is seen running still finds it running on a machine loaded by parallel builds.
 */
public class SingleSlotProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "emulator.concurrency", "1",
                "emulator.queue-delay", "50ms",
                "emulator.inference-time", "10s");
    }
}
