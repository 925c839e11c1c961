package ai.vidgen.falemulator.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Where test inputs live, as the platform's storage would serve them: real MP4 clips behind
 * signed URLs ({@code /v1/videos/<name>?tenant=…&expires=…&kid=…&sig=…}, 403 unless the signature
 * is {@code good}), PNG stills, a body too large for the test limit, and an answer that never comes
 * in time. Records every request it receives.
 */
final class MediaServer implements AutoCloseable {

    static final String GOOD_SIGNATURE = "good";
    /** A 1x1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    private static final Map<Integer, byte[]> CLIPS = new ConcurrentHashMap<>();

    /** One request as the server saw it. */
    record Hit(String path, String query, String userAgent, String authorization) {
    }

    final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    MediaServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads); // the slow route must not hold up the others
        server.createContext("/", this::handle);
        server.start();
    }

    /** A signed URL of a stored clip that lasts {@code seconds} (rendered now, so answering it is quick). */
    String signedVideo(int seconds, String signature) {
        clip(seconds);
        return base() + "/v1/videos/clip-" + seconds + "s?tenant=t-1&expires=4102444800&kid=k1&sig=" + signature;
    }

    String image(String name) {
        return base() + "/images/" + name + ".png";
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Hit> hitsOn(String path) {
        return hits.stream().filter(h -> h.path().equals(path)).toList();
    }

    /** A real MP4 of the given length (with a sine track), rendered once per length with ffmpeg. */
    static byte[] clip(int seconds) {
        return CLIPS.computeIfAbsent(seconds, s -> {
            try {
                Path file = Files.createTempFile("media-server-clip", ".mp4");
                Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y",
                        "-f", "lavfi", "-i", "testsrc=size=160x90:rate=24", "-f", "lavfi", "-i", "sine=frequency=220",
                        "-t", Integer.toString(s), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                        "-c:a", "aac", "-f", "mp4", file.toString()).redirectErrorStream(true).start();
                if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                    throw new IllegalStateException("ffmpeg failed: " + new String(ffmpeg.getInputStream().readAllBytes()));
                }
                byte[] bytes = Files.readAllBytes(file);
                Files.delete(file);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        hits.add(new Hit(path, query, exchange.getRequestHeaders().getFirst("User-Agent"),
                exchange.getRequestHeaders().getFirst("Authorization")));
        try (exchange) {
            if (path.startsWith("/v1/videos/clip-")) {
                if (query == null || !query.contains("sig=" + GOOD_SIGNATURE)) {
                    answer(exchange, 403, "application/problem+json", "{\"title\":\"bad signature\"}".getBytes());
                    return;
                }
                int seconds = Integer.parseInt(path.substring("/v1/videos/clip-".length(), path.length() - 1));
                answer(exchange, 200, "video/mp4", clip(seconds));
            } else if (path.startsWith("/images/")) {
                answer(exchange, 200, "image/png", PNG);
            } else if (path.equals("/big")) {
                answer(exchange, 200, "image/png", new byte[2 * 1024 * 1024]);
            } else if (path.equals("/slow")) {
                Thread.sleep(15_000); // longer than the test's download deadline (5 s)
                answer(exchange, 200, "image/png", PNG);
            } else if (path.equals("/not-a-video")) {
                answer(exchange, 200, "video/mp4", "no boxes here".getBytes());
            } else {
                answer(exchange, 404, "text/plain", "not found".getBytes());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the emulator gave up on this answer (deadline or size limit): nothing to do
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
