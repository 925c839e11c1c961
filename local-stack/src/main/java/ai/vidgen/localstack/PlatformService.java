package ai.vidgen.localstack;

/** The applications of the platform, in the order they start, with their local defaults. */
public enum PlatformService {
    FAL_EMULATOR("fal-emulator", null, 8090),
    BILLING("billing-service", "vidgen_billing", 8084),
    STORAGE("storage-service", "vidgen_storage", 8083),
    FAL_ADAPTER("fal-adapter", "vidgen_fal_adapter", 8082),
    DISPATCHER("dispatcher-service", "vidgen_dispatcher", 8081),
    REQUEST("request-service", "vidgen_request", 8080);

    private final String module;
    private final String database;
    private final int defaultPort;

    PlatformService(String module, String database, int defaultPort) {
        this.module = module;
        this.database = database;
        this.defaultPort = defaultPort;
    }

    public String module() {
        return module;
    }

    /** The service's own database, or null for the emulator, which keeps no durable state. */
    public String database() {
        return database;
    }

    public int defaultPort() {
        return defaultPort;
    }
}
