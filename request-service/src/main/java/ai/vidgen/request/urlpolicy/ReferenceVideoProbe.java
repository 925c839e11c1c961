package ai.vidgen.request.urlpolicy;

import ai.vidgen.request.config.RequestConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads the length of a reference video (MP4/MOV) from its {@code moov/mvhd} box with a few HTTP
 * Range requests, without downloading the media: motion control refuses reference videos over
 * 10 s or 30 s depending on character_orientation, and that is cheaper to say before queueing.
 *
 * <p>Only called for URLs the {@link UrlPolicy} accepted. Anything it cannot read (no Range
 * support, not an MP4, unreachable, too slow) gives an empty answer and fal decides.
 */
@ApplicationScoped
public class ReferenceVideoProbe {

    private static final Logger LOG = Logger.getLogger(ReferenceVideoProbe.class);
    private static final int MAX_BOXES = 64;
    private static final long MAX_MOOV_BYTES = 16L * 1024 * 1024;

    private final Duration timeout;
    private final boolean enabled;
    private final HttpClient client;

    @Inject
    public ReferenceVideoProbe(RequestConfig config) {
        this(config.urlPolicy().probeReferenceVideos(), config.urlPolicy().probeTimeout());
    }

    public ReferenceVideoProbe(boolean enabled, Duration timeout) {
        this.enabled = enabled;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build();
    }

    /** The video's length in seconds, or empty when it cannot be read. Runs off the event loop. */
    public Uni<Optional<Double>> seconds(String url) {
        if (!enabled) {
            return Uni.createFrom().item(Optional.empty());
        }
        return Uni.createFrom().item(() -> read(url))
                .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(timeout.multipliedBy(2)).recoverWithItem(Optional.empty())
                .onFailure().recoverWithItem(Optional.empty());
    }

    private Optional<Double> read(String url) {
        try {
            long offset = 0;
            for (int i = 0; i < MAX_BOXES; i++) {
                byte[] header = range(url, offset, 16);
                if (header == null || header.length < 8) {
                    return Optional.empty();
                }
                ByteBuffer b = ByteBuffer.wrap(header);
                long size = Integer.toUnsignedLong(b.getInt());
                String type = new String(header, 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
                int headerLength = 8;
                if (size == 1 && header.length >= 16) {
                    size = b.getLong(8);
                    headerLength = 16;
                }
                if (type.equals("moov")) {
                    long length = size == 0 ? MAX_MOOV_BYTES : Math.min(size, MAX_MOOV_BYTES);
                    byte[] moov = range(url, offset + headerLength, length - headerLength);
                    return moov == null ? Optional.empty() : mvhdSeconds(moov);
                }
                if (size < headerLength) {
                    return Optional.empty();
                }
                offset += size;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("cannot read the length of %s: %s", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    /** The children of moov, looking for mvhd: its timescale and duration give the length. */
    static Optional<Double> mvhdSeconds(byte[] moov) {
        ByteBuffer b = ByteBuffer.wrap(moov);
        while (b.remaining() >= 8) {
            int start = b.position();
            long size = Integer.toUnsignedLong(b.getInt());
            byte[] type = new byte[4];
            b.get(type);
            if (new String(type, java.nio.charset.StandardCharsets.US_ASCII).equals("mvhd")) {
                int version = b.get() & 0xff;
                b.position(b.position() + 3);
                long timescale;
                long duration;
                if (version == 1) {
                    b.position(b.position() + 16);
                    timescale = Integer.toUnsignedLong(b.getInt());
                    duration = b.getLong();
                } else {
                    b.position(b.position() + 8);
                    timescale = Integer.toUnsignedLong(b.getInt());
                    duration = Integer.toUnsignedLong(b.getInt());
                }
                return timescale == 0 ? Optional.empty() : Optional.of((double) duration / timescale);
            }
            if (size < 8 || start + size > moov.length) {
                return Optional.empty();
            }
            b.position((int) (start + size));
        }
        return Optional.empty();
    }

    /** Bytes [from, from+length) or null when the server does not honour Range. */
    private byte[] range(String url, long from, long length) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Range", "bytes=" + from + "-" + (from + length - 1)).GET().build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 206) {
                return null;
            }
            return body.readNBytes((int) Math.min(length, Integer.MAX_VALUE - 8));
        }
    }
}
