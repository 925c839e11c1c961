package ai.vidgen.testsupport.quarkus;

import ai.vidgen.testsupport.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives a Quarkus test a fresh database of its own on a real PostgreSQL server, with both the
 * reactive URL (Hibernate Reactive) and the JDBC URL (Flyway) set.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        PostgresServer server = SharedInfrastructure.postgres();
        String database = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        server.ensureDatabase(database);
        return Map.of(
                "quarkus.datasource.reactive.url", server.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.username", server.user(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        // The database goes with the throwaway cluster when the JVM exits.
    }
}
