package ai.vidgen.testsupport.infra;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A tiny shell loop that outlives a hard kill of this JVM: once this JVM is gone while the
 * watched process still runs, it runs the cleanup command. It exits by itself as soon as the
 * watched process ends, so a clean shutdown leaves nothing behind either.
 */
final class OrphanWatchdog {
    private OrphanWatchdog() {
    }

    static void killWhenParentDies(long watchedPid, String cleanup) {
        long parent = ProcessHandle.current().pid();
        String script = "while kill -0 " + parent + " 2>/dev/null && kill -0 " + watchedPid
                + " 2>/dev/null; do sleep 1; done; if kill -0 " + watchedPid + " 2>/dev/null; then "
                + cleanup + "; fi";
        try {
            new ProcessBuilder("sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the orphan watchdog", e);
        }
    }
}
