package ai.vidgen.dispatcher.support;

import ai.vidgen.testsupport.infra.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Serves the application under test on a free port and points its billing client at that port,
 * where {@link BillingStubResource} answers.
 */
public class BillingStubPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        int port = FreePorts.allocate();
        return Map.of(
                "quarkus.http.test-port", Integer.toString(port),
                "quarkus.rest-client.billing.url", "http://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        // nothing to stop: the stub is part of the application
    }
}
