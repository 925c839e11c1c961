package ai.vidgen.testsupport.infra;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The launchers start real servers and leave nothing running once closed. */
class LaunchersTest {

    @Test
    void throwawayPostgresAnswersSqlAndIsGoneAfterClose() {
        long postmaster;
        try (PostgresServer server = PostgresServer.startThrowaway()) {
            server.ensureDatabase("launcher_check");
            server.ensureDatabase("launcher_check"); // idempotent
            assertEquals("42", server.psql("launcher_check", "SELECT 40 + 2").trim());
            postmaster = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("-p " + server.port()))
                    .findFirst().map(ProcessHandle::pid).orElseThrow();
        }
        assertTrue(exitsSoon(postmaster), "postgres still runs after close");
    }

    @Test
    void throwawayKafkaAcceptsConnectionsAndIsGoneAfterClose() {
        int port;
        long pid;
        try (KafkaBroker broker = KafkaBroker.startThrowaway(1)) {
            port = broker.port();
            pid = broker.process().pid();
            assertTrue(canConnect(port), "broker does not listen on " + broker.bootstrapServers());
        }
        assertTrue(exitsSoon(pid), "broker still runs after close");
        assertFalse(canConnect(port), "something still listens on the broker's port");
    }

    /** A stopped server's process may take a moment to be reaped by init; wait for that, not longer. */
    private static boolean exitsSoon(long pid) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    private static boolean canConnect(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
