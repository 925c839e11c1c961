package ai.vidgen.localstack;

import static ai.vidgen.localstack.PlatformService.*;

import ai.vidgen.testsupport.infra.PostgresServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Each application's configuration, as the environment variables a deployment would set, for a
 * platform on one host: every part reaches the others, and the test or the user reaches them all,
 * at {@code urls}. The local stack (processes) and the container test (images) run the same
 * configuration this way.
 *
 * @param kafkaBootstrapServers where the broker listens
 * @param postgres              the server holding one database per service
 * @param urls                  each application's base URL
 * @param credentials           the run's operator, service and link-signing secrets
 * @param emulatorMediaDir      where the emulator keeps what it renders (a path the emulator sees)
 * @param videosDir             where storage-service archives videos (a path storage sees)
 * @param inferenceTime         how long the emulator takes to "render"
 */
public record PlatformEnvironment(
        String kafkaBootstrapServers,
        PostgresServer postgres,
        Function<PlatformService, String> urls,
        Credentials credentials,
        String emulatorMediaDir,
        String videosDir,
        Duration inferenceTime) {

    /** The key the adapter sends to the emulator; a real FAL_KEY never goes to the emulator. */
    private static final String EMULATOR_KEY = "local-emulator-key";

    /**
     * The secrets of one run of the platform.
     *
     * @param adminToken         operators' bearer token (admin views, budgets)
     * @param serviceToken       the one the services present to each other's internal routes
     * @param urlSigningKeys     request-service signs video and input links with them, storage verifies
     * @param webhookTokenSecret fal-adapter signs webhook URLs with it; fixed for a work directory so
     *                           the URLs survive an adapter restart
     */
    public record Credentials(String adminToken, String serviceToken, String urlSigningKeys,
                              String webhookTokenSecret) {

        public static Credentials fresh(String webhookTokenSecret) {
            return new Credentials(Tokens.fresh("admin"), Tokens.fresh("service"), "local:" + Tokens.fresh("links"),
                    webhookTokenSecret);
        }

        @Override
        public String toString() {
            return "Credentials[redacted]";
        }
    }

    public Map<String, String> of(PlatformService service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers);
        env.put("VIDGEN_AUTH_ADMIN_TOKENS", credentials.adminToken());
        env.put("VIDGEN_AUTH_SERVICE_TOKENS", credentials.serviceToken());
        if (service.database() != null) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(service.database()));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(service.database()));
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        switch (service) {
            case FAL_EMULATOR -> {
                env.put("EMULATOR_PUBLIC_BASE_URL", urls.apply(FAL_EMULATOR));
                env.put("EMULATOR_INFERENCE_TIME", inferenceTime.toMillis() + "ms");
                env.put("EMULATOR_MEDIA_DIR", emulatorMediaDir);
            }
            case FAL_ADAPTER -> {
                env.put("FAL_QUEUE_URL", urls.apply(FAL_EMULATOR));
                env.put("FAL_KEY", EMULATOR_KEY);
                // Webhooks first, polling as the safety net, as against the real fal.
                env.put("FAL_WEBHOOK_PUBLIC_URL", urls.apply(FAL_ADAPTER));
                env.put("FAL_WEBHOOK_JWKS_URL", urls.apply(FAL_EMULATOR) + "/.well-known/jwks.json");
                env.put("FAL_WEBHOOK_TOKEN_SECRET", credentials.webhookTokenSecret());
            }
            case STORAGE -> {
                env.put("VIDGEN_URL_SIGNING_KEYS", credentials.urlSigningKeys());
                env.put("STORAGE_FILESYSTEM_ROOT", videosDir);
                env.put("STORAGE_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1,localhost");
            }
            case DISPATCHER -> env.put("QUARKUS_REST_CLIENT_BILLING_URL", urls.apply(BILLING));
            case REQUEST -> {
                env.put("QUARKUS_REST_CLIENT_BILLING_URL", urls.apply(BILLING));
                env.put("REQUEST_STORAGE_PUBLIC_URL", urls.apply(STORAGE));
                env.put("QUARKUS_REST_CLIENT_STORAGE_URL", urls.apply(STORAGE));
                env.put("VIDGEN_URL_SIGNING_KEYS", credentials.urlSigningKeys());
                // The demo and the end-to-end tests name their tenant in X-Tenant-Id rather than
                // minting API keys; never enable this outside a single-user machine.
                env.put("REQUEST_AUTH_ALLOW_TENANT_HEADER", "true");
                // Everything runs on loopback over http here: callback receivers and media
                // hosts on this machine are allowed, which the URL policy refuses elsewhere.
                env.put("REQUEST_URL_POLICY_DEV_HOSTS", "127.0.0.1,localhost");
            }
            default -> {
            }
        }
        return env;
    }
}
