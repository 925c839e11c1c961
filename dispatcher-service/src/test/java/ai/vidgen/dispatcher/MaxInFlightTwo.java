package ai.vidgen.dispatcher;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The capacity tests' limit: two generations in flight. */
public class MaxInFlightTwo implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("dispatcher.max-in-flight", "2");
    }
}
