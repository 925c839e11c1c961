package ai.vidgen.falemulator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proof of fidelity: fal's official JavaScript client ({@code @fal-ai/client}, pinned in
 * {@code src/test/js/package-lock.json}) drives this emulator through its request middleware:
 * submit, status, result, cancel, the status stream, and subscribe in polling and streaming modes.
 * Needs {@code node} and {@code npm} on PATH; {@code npm ci} runs when node_modules is absent.
 */
@QuarkusTest
class FalJsClientConformanceTest {

    private static final Path JS = Path.of("src/test/js");

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    @Test
    void theOfficialJsClientWorksAgainstTheEmulator() throws Exception {
        if (!Files.isDirectory(JS.resolve("node_modules/@fal-ai/client"))) {
            Run ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 180);
            assertEquals(0, ci.exit(), () -> "npm ci failed:\n" + ci.output());
        }
        Run conformance = run(List.of("node", "conformance.mjs", base.toString()), 150);
        assertEquals(0, conformance.exit(), () -> "conformance.mjs failed:\n" + conformance.output());
        assertTrue(conformance.output().contains("checks passed"), conformance::output);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("fal-js-", ".log");
        Process process = new ProcessBuilder(command).directory(JS.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Run(finished ? process.exitValue() : -1, finished ? output : output + "\n(timed out)");
    }
}
