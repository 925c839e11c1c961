package ai.vidgen.request.urlpolicy;

import ai.vidgen.platform.net.GuardedHttpClient;
import ai.vidgen.platform.net.GuardedRequest;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.Mp4Duration;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Reads the length of a reference video (MP4/MOV) from its {@code moov/mvhd} box with a few small
 * HTTP Range requests, without downloading the media: motion control refuses reference videos
 * over 10 s or 30 s depending on character_orientation, and that is cheaper to say before queueing.
 *
 * <p>Someone else's server decides how this goes, so everything is bounded: the requests go
 * through a {@link GuardedHttpClient} (the host resolved once, every address checked, the
 * connection made to the checked address; redirects checked the same way), a probe reads at most
 * {@link #MAX_BYTES} in windows of {@link #WINDOW} bytes, at most
 * {@code request.url-policy.probe-concurrency} probes run at once (beyond that the length is
 * left for fal to judge), and a probe that is not done within {@code probe-timeout} is abandoned
 * with its connection closed. Anything unreadable gives an empty answer and fal decides.
 */
@ApplicationScoped
public class ReferenceVideoProbe {

    /** Bytes asked for per Range request: a box header and, usually, the whole mvhd box with it. */
    static final int WINDOW = 4096;
    /** Bytes one probe reads at most, whatever the file looks like. */
    static final int MAX_BYTES = 64 * 1024;
    /** Sibling boxes looked at per level before giving up. */
    private static final int MAX_BOXES = 64;
    private static final int MAX_REDIRECTS = 3;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Logger LOG = Logger.getLogger(ReferenceVideoProbe.class);

    private final boolean enabled;
    private final Duration timeout;
    private final int maxConcurrent;
    private final UrlPolicy policy;
    private final GuardedHttpClient http;
    private final AtomicInteger running = new AtomicInteger();

    @Inject
    public ReferenceVideoProbe(RequestConfig config, UrlPolicy policy, Vertx vertx) {
        this(config.urlPolicy().probeReferenceVideos(), config.urlPolicy().probeTimeout(),
                config.urlPolicy().probeConcurrency(), policy, vertx);
    }

    public ReferenceVideoProbe(boolean enabled, Duration timeout, int maxConcurrent, UrlPolicy policy, Vertx vertx) {
        this.enabled = enabled;
        this.timeout = timeout;
        this.maxConcurrent = maxConcurrent;
        this.policy = policy;
        this.http = new GuardedHttpClient(vertx, policy.guard(), new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .setMaxPoolSize(maxConcurrent));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The video's length in seconds, or empty when it cannot be read in time. Never blocks. */
    public Uni<Optional<Double>> seconds(String url) {
        if (!enabled) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().deferred(() -> {
            URI uri = URI.create(url);
            if (running.incrementAndGet() > maxConcurrent) {
                running.decrementAndGet();
                LOG.debugf("%d reference-video probes running; leaving this one to fal", maxConcurrent);
                return Uni.createFrom().item(Optional.<Double>empty());
            }
            return new Reading(uri).seconds().onTermination().invoke(running::decrementAndGet);
        })
                // Cancels the reading on time: its open request is reset and the connection closed.
                .ifNoItem().after(timeout).recoverWithItem(Optional.empty())
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("cannot read the length of a reference video: %s", failure.toString());
                    return Optional.empty();
                });
    }

    /** A box header: where it starts, its size (0: to the end of the file) and the header's length. */
    private record Box(long start, long size, int headerLength) {
        long contentStart() {
            return start + headerLength;
        }

        long end() {
            return size == 0 ? Long.MAX_VALUE : start + size;
        }
    }

    /** Not a file whose length can be read this way; ends the probe with an empty answer. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /** One probe: walks the boxes through a window of the file, fetched by Range as needed. */
    private final class Reading {

        private URI uri;
        private long windowStart = -1;
        private byte[] window = new byte[0];
        /** The server had fewer bytes than asked for: the window ends at the end of the file. */
        private boolean windowAtEnd;
        private int budget = MAX_BYTES;

        Reading(URI uri) {
            this.uri = uri;
        }

        Uni<Optional<Double>> seconds() {
            return find(0, Long.MAX_VALUE, "moov", 0).chain(moov -> moov.isEmpty()
                    ? Uni.createFrom().item(Optional.<Double>empty())
                    : find(moov.get().contentStart(), moov.get().end(), "mvhd", 0).chain(mvhd -> mvhd.isEmpty()
                            ? Uni.createFrom().item(Optional.<Double>empty())
                            // Version 1 content is 108 bytes; the fields needed come first.
                            : bytes(mvhd.get().contentStart(), 32).map(Mp4Duration::mvhdSeconds)));
        }

        /** The first box of {@code type} among the siblings from {@code at} up to {@code end}. */
        private Uni<Optional<Box>> find(long at, long end, String type, int seen) {
            if (seen >= MAX_BOXES || at + 8 > end) {
                return Uni.createFrom().item(Optional.empty());
            }
            return bytes(at, 16).chain(header -> {
                if (header.length < 8) {
                    return Uni.createFrom().item(Optional.<Box>empty());
                }
                ByteBuffer b = ByteBuffer.wrap(header);
                long size = Integer.toUnsignedLong(b.getInt());
                String boxType = new String(header, 4, 4, StandardCharsets.US_ASCII);
                int headerLength = 8;
                if (size == 1) {
                    if (header.length < 16) {
                        return Uni.createFrom().item(Optional.<Box>empty());
                    }
                    size = b.getLong(8);
                    headerLength = 16;
                }
                if (size != 0 && size < headerLength) {
                    return Uni.createFrom().item(Optional.<Box>empty());
                }
                if (boxType.equals(type)) {
                    return Uni.createFrom().item(Optional.of(new Box(at, size, headerLength)));
                }
                return size == 0 ? Uni.createFrom().item(Optional.<Box>empty())
                        : find(at + size, end, type, seen + 1);
            });
        }

        /** Up to {@code n} bytes at {@code at}: from the window, or a new window fetched there. */
        private Uni<byte[]> bytes(long at, int n) {
            long windowEnd = windowStart + window.length;
            if (windowStart >= 0 && at >= windowStart && (at + n <= windowEnd || windowAtEnd)) {
                int from = (int) Math.min(at - windowStart, window.length);
                return Uni.createFrom().item(Arrays.copyOfRange(window, from, (int) Math.min(windowEnd - windowStart,
                        from + (long) n)));
            }
            int length = Math.min(Math.max(n, WINDOW), budget);
            if (length < n) {
                return Uni.createFrom().failure(new Unreadable("read more than " + MAX_BYTES + " bytes"));
            }
            budget -= length;
            return range(at, length).map(bytes -> {
                windowStart = at;
                window = bytes;
                windowAtEnd = bytes.length < length;
                return Arrays.copyOf(bytes, Math.min(n, bytes.length));
            });
        }

        /** Bytes [from, from + length), as a 206 with exactly that start; anything else is unreadable. */
        private Uni<byte[]> range(long from, int length) {
            GuardedRequest request = GuardedRequest.get(uri)
                    .header("Range", "bytes=" + from + "-" + (from + length - 1))
                    .header("User-Agent", "vidgen-request-service")
                    .maxRedirects(MAX_REDIRECTS)
                    .rule(policy.rule())
                    .connectTimeout(timeout)
                    .idleTimeout(timeout);
            return http.send(request).chain(response -> {
                Matcher range = CONTENT_RANGE.matcher(String.valueOf(response.header("Content-Range")));
                if (response.status() != 206 || !range.matches() || Long.parseLong(range.group(1)) != from) {
                    response.close();
                    return Uni.createFrom().failure(new Unreadable("no Range support (status " + response.status()
                            + ")"));
                }
                // Later windows skip the redirects this one followed.
                uri = response.uri();
                return response.body(length).map(Buffer::getBytes);
            });
        }
    }
}
