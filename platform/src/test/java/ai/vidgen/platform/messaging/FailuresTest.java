package ai.vidgen.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void waitingFixesAnUnreachableDatabaseAndConflicts() {
        assertThat(Failures.isTransient(new ConnectException("Connection refused"))).isTrue();
        assertThat(Failures.isTransient(new VertxException("Connection is closed", true))).isTrue();
        assertThat(Failures.isTransient(new PgException("could not serialize", "ERROR", "40001", null))).isTrue();
        assertThat(Failures.isTransient(new PgException("the database system is shutting down", "FATAL", "57P03", null)))
                .isTrue();
    }

    @Test
    void waitingNeverFixesBadDataOrAContractBreach() {
        assertThat(Failures.isTransient(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
        assertThat(Failures.isTransient(new PgException("value too long", "ERROR", "22001", null))).isFalse();
        assertThat(Failures.isTransient(new PgException("no such column", "ERROR", "42703", null))).isFalse();
        assertThat(Failures.isTransient(new RejectedEventException("reservation of a negative amount"))).isFalse();
        assertThat(Failures.isTransient(new IllegalArgumentException("bad"))).isFalse();
    }
}
