package ai.vidgen.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for fal's CDN: a JDK HTTP server on a free loopback port whose routes serve a file,
 * a cut-off transfer, garbage or a redirect, and that counts the requests per path.
 */
final class FakeCdn implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicInteger totalHits = new AtomicInteger();

    private FakeCdn(String address) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            totalHits.incrementAndGet();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            HttpHandler handler = routes.get(path);
            // An IOException escaping here (a route cutting its transfer short) makes the server
            // drop the connection, which is what the client must see.
            try (exchange) {
                if (handler == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    handler.handle(exchange);
                }
            }
        });
        server.start();
    }

    /** On 127.0.0.1, an allowed host in the test profile. */
    static FakeCdn start() {
        return new FakeCdn("127.0.0.1");
    }

    /** On 127.0.0.2: loopback as well, but not an allowed download host. */
    static FakeCdn startDisallowed() {
        return new FakeCdn("127.0.0.2");
    }

    String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + path;
    }

    int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    int totalHits() {
        return totalHits.get();
    }

    void serveFile(String path, Path file) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = exchange.getResponseBody(); InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        });
    }

    void serveBytes(String path, byte[] bytes) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    /** Announces the whole file's length, sends only {@code sent} bytes and drops the connection. */
    void serveCutOff(String path, Path file, int sent) {
        routes.put(path, exchange -> {
            byte[] bytes = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, sent);
            out.flush();
            // Closing a fixed-length body early closes the connection mid-transfer.
            out.close();
        });
    }

    /** Announces {@code announced} bytes, far more than it will ever send, then drops the connection. */
    void serveAnnouncing(String path, long announced) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, announced);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[1024]);
            out.flush();
            out.close();
        });
    }

    /**
     * Announces the whole file and sends it a byte at a time, one every 200 ms (often enough that
     * no idle timeout fires), until {@code release} opens; then the rest at once.
     */
    void serveTrickling(String path, Path file, CountDownLatch release) {
        routes.put(path, exchange -> {
            byte[] bytes = Files.readAllBytes(file);
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                int sent = 0;
                try {
                    while (!release.await(200, TimeUnit.MILLISECONDS) && sent < bytes.length - 1) {
                        out.write(bytes[sent++]);
                        out.flush();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                out.write(bytes, sent, bytes.length - sent);
            }
        });
    }

    void redirect(String path, String location) {
        routes.put(path, exchange -> redirectTo(exchange, location));
    }

    private static void redirectTo(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
