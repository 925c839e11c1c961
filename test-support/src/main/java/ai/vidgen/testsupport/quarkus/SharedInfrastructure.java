package ai.vidgen.testsupport.quarkus;

import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;

/**
 * One broker and one PostgreSQL cluster per test JVM, started on first use and stopped when the
 * JVM exits. Every test class gets its own database; topics are shared, so tests key their
 * records by fresh generation ids.
 *
 * <p>{@code VIDGEN_TEST_KAFKA_BOOTSTRAP} and {@code VIDGEN_TEST_PGHOST} (with {@code _PGPORT},
 * {@code _PGUSER}, {@code _PGPASSWORD}) point the tests at servers that already run instead.
 */
public final class SharedInfrastructure {

    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static String externalKafka = System.getenv("VIDGEN_TEST_KAFKA_BOOTSTRAP");

    private SharedInfrastructure() {
    }

    public static synchronized String kafkaBootstrapServers() {
        if (externalKafka != null && !externalKafka.isBlank()) {
            return externalKafka;
        }
        if (kafka == null) {
            kafka = KafkaBroker.startThrowaway(3);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-test-kafka"));
        }
        return kafka.bootstrapServers();
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            String host = System.getenv("VIDGEN_TEST_PGHOST");
            if (host != null && !host.isBlank()) {
                postgres = PostgresServer.external(host,
                        Integer.parseInt(System.getenv().getOrDefault("VIDGEN_TEST_PGPORT", "5432")),
                        System.getenv().getOrDefault("VIDGEN_TEST_PGUSER", "postgres"),
                        System.getenv().getOrDefault("VIDGEN_TEST_PGPASSWORD", "postgres"));
            } else {
                postgres = PostgresServer.startThrowaway();
                Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
            }
        }
        return postgres;
    }
}
