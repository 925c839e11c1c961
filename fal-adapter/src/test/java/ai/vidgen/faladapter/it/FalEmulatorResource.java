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
 * is refused by the submit or, as fal's runners do, by the result call) and {@code inference-time}.
 */
public class FalEmulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEY = "test-key-id:test-key-secret";

    private String validationMode = "submit";
    private String inferenceTime = "300ms";
    private QuarkusApp emulator;

    @Override
    public void init(Map<String, String> initArgs) {
        validationMode = initArgs.getOrDefault("validation-mode", validationMode);
        inferenceTime = initArgs.getOrDefault("inference-time", inferenceTime);
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
        emulator = QuarkusApp.start("fal-emulator-" + validationMode, Path.of("../fal-emulator").toAbsolutePath(),
                port, env, target.resolve("emulator-logs"), "256m");
        return Map.of(
                "fal.queue-url", url,
                "fal.key", KEY,
                "test.emulator.log", emulator.process().log().toString());
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
