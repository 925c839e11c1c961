package ai.vidgen.dispatcher;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The reclaim test's settings: the default global limit of 4, and slots reclaimed after 5 s. */
public class ReclaimAfterFiveSeconds implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("dispatcher.max-in-flight", "4", "dispatcher.reclaim-after", "5s");
    }
}
