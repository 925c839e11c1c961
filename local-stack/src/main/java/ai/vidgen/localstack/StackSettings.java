package ai.vidgen.localstack;

import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How to run the stack.
 *
 * @param kafkaDir       where the broker keeps its data between runs, or null for a throwaway broker
 * @param ports          the HTTP port of each application
 * @param inferenceTime  how long the fal emulator takes to "render"
 * @param overrides      extra environment per application, applied last (tests tune limits with it)
 */
public record StackSettings(
        Path projectRoot,
        Path workDir,
        PostgresServer postgres,
        Path kafkaDir,
        int kafkaPort,
        int kafkaControllerPort,
        Map<PlatformService, Integer> ports,
        Duration inferenceTime,
        Map<PlatformService, Map<String, String>> overrides) {

    public StackSettings(Path projectRoot, Path workDir, PostgresServer postgres, Path kafkaDir, int kafkaPort,
                         int kafkaControllerPort, Map<PlatformService, Integer> ports, Duration inferenceTime) {
        this(projectRoot, workDir, postgres, kafkaDir, kafkaPort, kafkaControllerPort, ports, inferenceTime, Map.of());
    }

    /** The same settings with {@code environment} added to one application's. */
    public StackSettings withEnvironment(PlatformService service, Map<String, String> environment) {
        Map<PlatformService, Map<String, String>> merged = new EnumMap<>(PlatformService.class);
        merged.putAll(overrides);
        Map<String, String> forService = new java.util.HashMap<>(overrides.getOrDefault(service, Map.of()));
        forService.putAll(environment);
        merged.put(service, Map.copyOf(forService));
        return new StackSettings(projectRoot, workDir, postgres, kafkaDir, kafkaPort, kafkaControllerPort, ports,
                inferenceTime, Map.copyOf(merged));
    }

    public static Map<PlatformService, Integer> defaultPorts() {
        Map<PlatformService, Integer> ports = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            ports.put(service, service.defaultPort());
        }
        return ports;
    }

    public static Map<PlatformService, Integer> freePorts() {
        Map<PlatformService, Integer> ports = new EnumMap<>(PlatformService.class);
        for (PlatformService service : PlatformService.values()) {
            ports.put(service, FreePorts.allocate());
        }
        return ports;
    }

    public int port(PlatformService service) {
        return ports.get(service);
    }

    public String url(PlatformService service) {
        return "http://127.0.0.1:" + port(service);
    }
}
