package ai.vidgen.dispatcher;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A producer that refuses records over 4 KB (the real limit is 1 MiB; a small one makes a big
 * event cheap to build), and one slot, so a slot left taken is seen at once.
 */
public class SmallEventsOneSlot implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.outgoing.events-out.max.request.size", "4096",
                "dispatcher.max-in-flight", "1");
    }
}
