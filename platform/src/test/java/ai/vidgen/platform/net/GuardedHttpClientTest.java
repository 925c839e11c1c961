package ai.vidgen.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.mutiny.core.Vertx;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarded client against real servers on 127.0.0.1. "Public" names are scripted to answer a
 * public address; connecting there fails (nothing of ours listens on it), which is the point: the
 * loopback servers count every TCP connection, and the rebinding and redirect cases must leave
 * them at zero.
 */
class GuardedHttpClientTest {

    private static final String PUBLIC = "93.184.215.14";
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The first TLS handshake of a JVM sets up its crypto, which takes seconds on a busy machine. */
    private static final Duration TLS_WAIT = Duration.ofSeconds(60);

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.closeAndAwait();
    }

    private static GuardedHttpClient client(ScriptedResolver resolver, String... exempt) {
        return new GuardedHttpClient(vertx, new DestinationGuard(resolver, List.of(exempt), Duration.ofSeconds(2)),
                new HttpClientOptions().setConnectTimeout(1000));
    }

    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckIsNeverConnectedTo() {
        try (LoopbackServer server = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 200, "", new byte[0]))) {
            ScriptedResolver dns = new ScriptedResolver().answer("rebind.test", PUBLIC, "127.0.0.1");
            try (GuardedHttpClient http = client(dns)) {
                GuardedRequest request = GuardedRequest.get(URI.create("http://rebind.test:" + server.port() + "/v.mp4"));
                // Connecting to the checked public address fails here; nothing may reach the loopback server.
                assertThatThrownBy(() -> http.send(request).await().atMost(WAIT)).isNotNull();
                assertThatThrownBy(() -> http.send(request).await().atMost(WAIT)).isNotNull();
            }
            assertThat(server.connections()).isZero();
            assertThat(dns.lookups("rebind.test")).as("one lookup per request").isEqualTo(2);
        }
    }

    @Test
    void theConnectionGoesToTheCheckedAddressWhileHostKeepsTheName() {
        try (LoopbackServer server = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 200, "",
                "hello".getBytes(StandardCharsets.UTF_8)))) {
            // An exempt dev name: resolved once, connected to at that address, never looked up again.
            ScriptedResolver dns = new ScriptedResolver().answer("media.test", "127.0.0.1", "127.0.0.2");
            try (GuardedHttpClient http = client(dns, "media.test")) {
                GuardedResponse response = http.send(GuardedRequest.get(
                        URI.create("http://media.test:" + server.port() + "/a?b=c")).header("Range", "bytes=0-4"))
                        .await().atMost(WAIT);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body(100).await().atMost(WAIT).toString()).isEqualTo("hello");
            }
            String head = server.heads().get(0);
            assertThat(head).startsWith("GET /a?b=c HTTP/1.1");
            assertThat(LoopbackServer.header(head, "Host")).isEqualTo("media.test:" + server.port());
            assertThat(LoopbackServer.header(head, "Range")).isEqualTo("bytes=0-4");
            assertThat(dns.lookups("media.test")).isEqualTo(1);
        }
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedBeforeAnyConnection() {
        try (LoopbackServer server = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 200, "", new byte[0]))) {
            ScriptedResolver dns = new ScriptedResolver().answer("inside.test", "127.0.0.1");
            try (GuardedHttpClient http = client(dns)) {
                assertThatThrownBy(() -> http.send(GuardedRequest.get(URI.create("https://inside.test:" + server.port()
                        + "/x"))).await().atMost(WAIT))
                        .isInstanceOfSatisfying(RefusedUrlException.class, e -> {
                            assertThat(e.reason()).isEqualTo(RefusedUrlException.Reason.NOT_PUBLIC);
                            assertThat(e.getMessage()).isEqualTo("host inside.test resolves to 127.0.0.1, a loopback address");
                        });
            }
            assertThat(server.connections()).isZero();
        }
    }

    @Test
    void aRedirectToALoopbackUrlIsRefusedAndNeverFollowed() {
        try (LoopbackServer target = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 200, "", new byte[0]));
                LoopbackServer origin = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 302,
                        "Location: http://localhost:" + target.port() + "/secret\r\n", new byte[0]))) {
            // 127.0.0.1 is an exempt dev host (as on the local stack); localhost is not.
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1").answer("localhost", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                GuardedRequest request = GuardedRequest.get(URI.create("http://127.0.0.1:" + origin.port() + "/v.mp4"))
                        .maxRedirects(3);
                assertThatThrownBy(() -> http.send(request).await().atMost(WAIT))
                        .isInstanceOfSatisfying(RefusedUrlException.class, e -> {
                            assertThat(e.reason()).isEqualTo(RefusedUrlException.Reason.NOT_PUBLIC);
                            assertThat(e.redirect()).isTrue();
                        });
            }
            assertThat(origin.connections()).isEqualTo(1);
            assertThat(target.connections()).isZero();
        }
    }

    @Test
    void redirectsAreFollowedUpToTheLimitAndEachTargetPassesTheCallersRule() {
        try (LoopbackServer server = new LoopbackServer((head, s) -> {
            if (head.startsWith("GET /loop")) {
                LoopbackServer.respond(s, 307, "Location: /loop\r\n", new byte[0]);
            } else if (head.startsWith("GET /start")) {
                LoopbackServer.respond(s, 301, "Location: /final\r\n", new byte[0]);
            } else {
                LoopbackServer.respond(s, 200, "", "done".getBytes(StandardCharsets.UTF_8));
            }
        })) {
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                String base = "http://127.0.0.1:" + server.port();
                GuardedResponse response = http.send(GuardedRequest.get(URI.create(base + "/start")).maxRedirects(2))
                        .await().atMost(WAIT);
                assertThat(response.uri()).isEqualTo(URI.create(base + "/final"));
                assertThat(response.body(100).await().atMost(WAIT).toString()).isEqualTo("done");

                assertThatThrownBy(() -> http.send(GuardedRequest.get(URI.create(base + "/loop")).maxRedirects(2))
                        .await().atMost(WAIT)).isInstanceOfSatisfying(RefusedUrlException.class,
                                e -> assertThat(e.reason()).isEqualTo(RefusedUrlException.Reason.TOO_MANY_REDIRECTS));
                assertThat(server.heads().stream().filter(h -> h.startsWith("GET /loop")).count()).isEqualTo(3);

                UrlRule noRedirects = (uri, redirect) -> {
                    if (redirect) {
                        throw new IllegalArgumentException("redirect refused: " + uri.getPath());
                    }
                };
                assertThatThrownBy(() -> http.send(GuardedRequest.get(URI.create(base + "/start")).maxRedirects(2)
                        .rule(noRedirects)).await().atMost(WAIT)).hasMessage("redirect refused: /final");
                // Without redirects allowed, the 3xx is the answer.
                assertThat(http.send(GuardedRequest.get(URI.create(base + "/start"))).await().atMost(WAIT).status())
                        .isEqualTo(301);
            }
        }
    }

    @Test
    void aCancelledExchangeClosesItsConnectionAtOnce() {
        // Headers promising a body, then nothing until the client gives up.
        try (LoopbackServer server = LoopbackServer.stalling("HTTP/1.1 206 X\r\nContent-Length: 4096\r\n\r\nftyp")) {
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                long started = System.nanoTime();
                var body = http.send(GuardedRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/slow")))
                        .chain(response -> response.body(4096))
                        .ifNoItem().after(Duration.ofMillis(300)).recoverWithItem((io.vertx.core.buffer.Buffer) null)
                        .await().atMost(WAIT);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertThat(body).isNull();
                assertThat(millis).isLessThan(2000);
                await().atMost(Duration.ofSeconds(2)).until(() -> server.closedByClient() == 1);
            }
        }
    }

    @Test
    void aTransferCutOffBeforeTheBodyIsReadStillFailsTheRead() {
        // 8 of 4096 announced bytes, then the server closes the connection.
        try (LoopbackServer server = new LoopbackServer((head, s) -> {
            s.getOutputStream().write("HTTP/1.1 200 X\r\nContent-Length: 4096\r\n\r\n12345678"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        })) {
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                GuardedResponse response = http.send(GuardedRequest.get(URI.create("http://127.0.0.1:" + server.port()
                        + "/cut"))).await().atMost(WAIT);
                // The holder takes its time (opening a file, say) before it reads.
                await().pollDelay(Duration.ofMillis(300)).until(() -> true);
                assertThatThrownBy(() -> response.body(8192).await().atMost(WAIT))
                        .hasMessageContaining("Connection was closed");
            }
        }
    }

    @Test
    void aServerClosingWithoutAnAnswerFailsTheRequest() {
        try (LoopbackServer server = new LoopbackServer((head, s) -> {
        })) {
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                assertThatThrownBy(() -> http.send(GuardedRequest.get(URI.create("http://127.0.0.1:" + server.port()
                        + "/none"))).await().atMost(WAIT)).hasMessageContaining("closed");
            }
        }
    }

    @Test
    void aLargeBodyIsReadOnlyUpToTheCap() {
        byte[] big = new byte[4 * 1024 * 1024];
        try (LoopbackServer server = new LoopbackServer((head, s) -> LoopbackServer.respond(s, 200, "", big))) {
            ScriptedResolver dns = new ScriptedResolver().answer("127.0.0.1", "127.0.0.1");
            try (GuardedHttpClient http = client(dns, "127.0.0.1")) {
                var body = http.send(GuardedRequest.get(URI.create("http://127.0.0.1:" + server.port() + "/big")))
                        .chain(response -> response.body(1000)).await().atMost(WAIT);
                assertThat(body.length()).isEqualTo(1000);
            }
        }
    }

    @Test
    void tlsUsesTheUrlsHostForSniAndTheCertificateCheck(@TempDir Path dir) throws Exception {
        Path keystore = selfSigned(dir, "video.example");
        PfxOptions store = new PfxOptions().setPath(keystore.toString()).setPassword("changeit");
        HttpServer server = vertx.getDelegate().createHttpServer(new HttpServerOptions().setSsl(true).setSni(true)
                        .setKeyCertOptions(store))
                .requestHandler(request -> request.response().end("sni=" + request.connection().indicatedServerName()
                        + " host=" + request.getHeader("Host")));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            int port = server.actualPort();
            // Both names lead to the server; only one is on its certificate.
            ScriptedResolver dns = new ScriptedResolver().answer("video.example", "127.0.0.1")
                    .answer("other.example", "127.0.0.1");
            DestinationGuard guard = new DestinationGuard(dns, List.of("video.example", "other.example"),
                    Duration.ofSeconds(2));
            try (GuardedHttpClient http = new GuardedHttpClient(vertx, guard, new HttpClientOptions().setTrustOptions(store))) {
                String answer = http.send(GuardedRequest.get(URI.create("https://video.example:" + port + "/")))
                        .chain(response -> response.body(1000)).await().atMost(TLS_WAIT).toString();
                assertThat(answer).isEqualTo("sni=video.example host=video.example:" + port);
                assertThatThrownBy(() -> http.send(GuardedRequest.get(URI.create("https://other.example:" + port + "/")))
                        .await().atMost(TLS_WAIT)).hasRootCauseInstanceOf(java.security.cert.CertificateException.class);
            }
        } finally {
            server.close();
        }
    }

    /** A PKCS#12 key store with a self-signed certificate for {@code name}, made by the JDK's keytool. */
    private static Path selfSigned(Path dir, String name) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(Files.exists(keystore)).isTrue();
        return keystore;
    }
}
