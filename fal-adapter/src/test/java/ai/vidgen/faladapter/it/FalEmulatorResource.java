package ai.vidgen.faladapter.it;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.QuarkusApp;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the project's fal emulator (the packaged {@code fal-emulator} app, a real process on a
 * free port) and points the adapter's {@code fal.queue-url} at it. The emulator checks the key,
 * so the adapter must send the one configured here.
 *
 * <p>Init args: {@code validation-mode} ({@code submit} or {@code result}: whether invalid input
 * is refused by the submit or, as fal's runners do, by the result call), {@code inference-time},
 * {@code start-timeout} (the adapter's {@code fal.start-timeout}), and
 * {@code webhooks} ({@code true}: the adapter hands out webhook URLs on a fixed test port and
 * verifies deliveries against the emulator's JWKS).
 */
public class FalEmulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "test-key-id:test-key-secret";
    public static final String WEBHOOK_TOKEN_SECRET = "test-webhook-token-secret-0123456789";

    private String validationMode = "submit";
    private String inferenceTime = "300ms";
    private boolean webhooks;
    private String startTimeout;
    private QuarkusApp emulator;

    @Override
    public void init(Map<String, String> initArgs) {
        validationMode = initArgs.getOrDefault("validation-mode", validationMode);
        inferenceTime = initArgs.getOrDefault("inference-time", inferenceTime);
        webhooks = Boolean.parseBoolean(initArgs.getOrDefault("webhooks", "false"));
        startTimeout = initArgs.get("start-timeout");
    }

    @Override
    public Map<String, String> start() {
        int port = FreePorts.allocate();
        String url = "http://127.0.0.1:" + port;
        Path target = Path.of("target").toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        env.put("EMULATOR_PUBLIC_BASE_URL", url);
        env.put("EMULATOR_INFERENCE_TIME", inferenceTime);
        env.put("EMULATOR_QUEUE_DELAY", "100ms");
        env.put("EMULATOR_VALIDATION_MODE", validationMode);
        env.put("EMULATOR_API_KEY", KEY);
        env.put("EMULATOR_MEDIA_DIR", target.resolve("emulator-media").toString());
        // The access log records the raw request line: the tests read it to see what went on the wire.
        env.put("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
        env.put("EMULATOR_WEBHOOK_RETRY_DELAY", "200ms");
        env.put("EMULATOR_WEBHOOK_TIMEOUT", "5s");
        emulator = QuarkusApp.start("fal-emulator-" + validationMode, Path.of("../fal-emulator").toAbsolutePath(),
                port, env, target.resolve("emulator-logs"), "256m");
        Map<String, String> config = new HashMap<>(Map.of(
                "fal.queue-url", url,
                "fal.key", KEY,
                "test.emulator.log", emulator.process().log().toString()));
        if (startTimeout != null) {
            config.put("fal.start-timeout", startTimeout);
        }
        if (webhooks) {
            // The emulator must reach the adapter, so the adapter's test port is fixed here.
            int adapterPort = FreePorts.allocate();
            config.put("quarkus.http.test-port", Integer.toString(adapterPort));
            config.put("fal.webhook.public-url", "http://127.0.0.1:" + adapterPort);
            config.put("fal.webhook.jwks-url", url + "/.well-known/jwks.json");
            config.put("fal.webhook.token-secret", WEBHOOK_TOKEN_SECRET);
        }
        return config;
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
