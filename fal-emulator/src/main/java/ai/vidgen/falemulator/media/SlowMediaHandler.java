package ai.vidgen.falemulator.media;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Serves a media file whole and correct but as a trickle: {@value #SLICES} slices, one per
 * {@code duration / SLICES}, so the transfer takes about {@code duration} (fault
 * {@code media_slow}). A steady trickle, not a stall: a client's idle timeout shorter than one
 * slice's wait still sees bytes arrive. Vert.x timers pace it; no thread waits.
 */
final class SlowMediaHandler {

    static final int SLICES = 20;

    private final Path dir;
    private final long sliceMillis;

    SlowMediaHandler(Path dir, Duration duration) {
        this.dir = dir;
        this.sliceMillis = Math.max(1, duration.toMillis() / SLICES);
    }

    void serve(RoutingContext context, String name, Runnable notFound) {
        context.vertx().fileSystem().readFile(dir.resolve(name).toString(), read -> {
            if (read.failed()) {
                notFound.run();
                return;
            }
            Buffer file = read.result();
            HttpServerResponse response = context.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, contentType(name))
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(file.length()));
            int sliceSize = Math.max(1, (file.length() + SLICES - 1) / SLICES);
            int[] sent = {0};
            context.vertx().setPeriodic(sliceMillis, timer -> {
                if (response.closed() || response.ended()) {
                    context.vertx().cancelTimer(timer);
                    return;
                }
                int end = Math.min(file.length(), sent[0] + sliceSize);
                Buffer slice = file.slice(sent[0], end);
                sent[0] = end;
                if (end >= file.length()) {
                    context.vertx().cancelTimer(timer);
                    response.end(slice);
                } else {
                    response.write(slice);
                }
            });
        });
    }

    private static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        return "video/mp4";
    }
}
