package ai.vidgen.request.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * A producer that refuses records over 4 KB (the real limit is 1 MiB; a small one makes an event
 * too big out of a request that is valid), and a quick sweep of the refused rows.
 */
public class SmallEvents implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.outgoing.events-out.max.request.size", "4096",
                "request.refused-events.sweep-interval", "1s");
    }
}
