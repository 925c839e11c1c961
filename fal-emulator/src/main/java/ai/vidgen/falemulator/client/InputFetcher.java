package ai.vidgen.falemulator.client;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.DisplayUrl;
import ai.vidgen.falemulator.domain.InputFetch;
import ai.vidgen.falemulator.domain.InputMedia;
import ai.vidgen.falemulator.domain.InputVideo;
import ai.vidgen.falemulator.media.Mp4Probe;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Downloads a request's input media, as fal's runner does before it runs the model: every image,
 * video and audio URL is fetched with a plain GET (no credentials: fal's docs require input URLs
 * to be publicly fetchable, presigned URLs included), following redirects, within a deadline and a
 * size limit; {@code data:} URIs are decoded instead (fal's toolkit decodes them without a network
 * request). A non-2xx answer, no answer, a timeout or an oversized body is a failed download. The
 * video whose length decides the output's is kept in a scratch file long enough to read its length.
 *
 * <p>Non-blocking for callers: the HTTP client is asynchronous and the few blocking steps (scratch
 * files, decoding, reading a video's boxes) run on this class's own small pool, never on an event loop.
 */
@ApplicationScoped
public class InputFetcher {

    private static final Logger LOG = Logger.getLogger(InputFetcher.class);
    private static final String USER_AGENT = "fal-emulator (input download)";

    /**
     * The downloads of one request.
     *
     * @param fetches one per input, in input order
     * @param failed  the first input whose download failed (fal's runner stops at the first)
     * @param video   the length-deciding video's facts, when it was downloaded and readable
     */
    public record Result(List<InputFetch> fetches, Optional<InputMedia> failed, Optional<InputVideo> video) {
    }

    private record One(InputFetch fetch, Optional<InputVideo> video) {
    }

    private final Duration timeout;
    private final long maxBytes;
    private final ExecutorService pool;
    private final HttpClient http;

    public InputFetcher(EmulatorConfig config) {
        this.timeout = config.inputFetchTimeout();
        this.maxBytes = config.inputMaxSize().asLongValue();
        this.pool = Executors.newCachedThreadPool(new Threads());
        this.http = HttpClient.newBuilder()
                // fal's runner downloads with Python's urllib: plain HTTP/1.1, no h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(pool)
                .build();
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /**
     * Downloads every input concurrently.
     *
     * @param lengthDeciding the input video whose length the output follows, if any: it is read
     */
    public CompletableFuture<Result> fetch(List<InputMedia> inputs, Optional<InputMedia> lengthDeciding) {
        List<CompletableFuture<One>> downloads = new ArrayList<>();
        for (InputMedia input : inputs) {
            boolean keep = lengthDeciding.filter(input::equals).isPresent();
            downloads.add(input.isDataUri() ? decode(input, keep) : download(input, keep));
        }
        return CompletableFuture.allOf(downloads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<InputFetch> fetches = new ArrayList<>();
            Optional<InputMedia> failed = Optional.empty();
            Optional<InputVideo> video = Optional.empty();
            for (int i = 0; i < inputs.size(); i++) {
                One one = downloads.get(i).join();
                fetches.add(one.fetch());
                if (!one.fetch().succeeded() && failed.isEmpty()) {
                    failed = Optional.of(inputs.get(i));
                }
                if (one.video().isPresent()) {
                    video = one.video();
                }
            }
            return new Result(fetches, failed, video);
        });
    }

    private CompletableFuture<One> download(InputMedia input, boolean keep) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(input.url());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new One(failure(input, null, 0, null, "not a URL fal can download: "
                    + e.getMessage(), at, started), Optional.empty()));
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept", "*/*")
                .GET()
                .build();
        AtomicInteger status = new AtomicInteger();
        AtomicReference<String> contentType = new AtomicReference<>();
        AtomicReference<CappedDownload> body = new AtomicReference<>();
        AtomicReference<Path> scratch = new AtomicReference<>();
        AtomicBoolean gaveUp = new AtomicBoolean();
        HttpResponse.BodyHandler<Long> handler = info -> {
            if (gaveUp.get()) {
                return HttpResponse.BodySubscribers.replacing(0L); // the deadline passed before the headers came
            }
            status.set(info.statusCode());
            contentType.set(info.headers().firstValue("Content-Type").orElse(null));
            try {
                Path sink = null;
                if (keep && info.statusCode() / 100 == 2) {
                    sink = Files.createTempFile("fal-emulator-input-", ".media");
                    scratch.set(sink);
                }
                CappedDownload download = new CappedDownload(maxBytes, sink);
                body.set(download);
                return download;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        CompletableFuture<HttpResponse<Long>> sent = http.sendAsync(request, handler);
        return sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handleAsync((response, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = unwrap(failure);
                    gaveUp.set(true);
                    sent.cancel(true);
                    CappedDownload download = body.get();
                    if (download != null) {
                        download.abort(cause);
                    }
                    int code = status.get();
                    return new One(failure(input, code == 0 ? null : code, 0, contentType.get(), describe(cause),
                            at, started), Optional.empty());
                }
                int code = response.statusCode();
                long bytes = response.body();
                if (code / 100 != 2) {
                    return new One(failure(input, code, bytes, contentType.get(), "HTTP " + code, at, started),
                            Optional.empty());
                }
                Optional<InputVideo> video = scratch.get() == null ? Optional.empty() : Mp4Probe.probe(scratch.get());
                return new One(success(input, code, bytes, contentType.get(), video, at, started), video);
            } catch (IOException | RuntimeException e) {
                return new One(failure(input, status.get() == 0 ? null : status.get(), 0, contentType.get(),
                        describe(e), at, started), Optional.empty());
            } finally {
                deleteQuietly(scratch.get());
            }
        }, pool);
    }

    /** fal's toolkit decodes {@code data:} URIs itself; a malformed or oversized one fails like a download. */
    private CompletableFuture<One> decode(InputMedia input, boolean keep) {
        Instant at = Instant.now();
        long started = System.nanoTime();
        return CompletableFuture.supplyAsync(() -> {
            String url = input.url();
            int comma = url.indexOf(',');
            if (comma < 0) {
                return new One(failure(input, null, 0, null, "invalid data URI: no ',' before the data", at, started),
                        Optional.empty());
            }
            String meta = url.substring(5, comma);
            boolean base64 = meta.toLowerCase(Locale.ROOT).endsWith(";base64");
            String mediaType = meta.split(";", 2)[0];
            String data = url.substring(comma + 1);
            long estimated = base64 ? data.length() / 4L * 3 : data.length();
            if (estimated > maxBytes) {
                return new One(failure(input, null, estimated, mediaType, "larger than the " + maxBytes + "-byte limit",
                        at, started), Optional.empty());
            }
            byte[] bytes;
            try {
                bytes = base64 ? Base64.getMimeDecoder().decode(data) : percentDecode(data);
            } catch (IllegalArgumentException e) {
                return new One(failure(input, null, 0, mediaType, "invalid data URI: " + e.getMessage(), at, started),
                        Optional.empty());
            }
            Optional<InputVideo> video = Optional.empty();
            if (keep) {
                Path file = null;
                try {
                    file = Files.createTempFile("fal-emulator-input-", ".media");
                    Files.write(file, bytes);
                    video = Mp4Probe.probe(file);
                } catch (IOException e) {
                    return new One(failure(input, null, bytes.length, mediaType, describe(e), at, started), Optional.empty());
                } finally {
                    deleteQuietly(file);
                }
            }
            return new One(success(input, null, bytes.length, mediaType.isEmpty() ? null : mediaType, video, at, started),
                    video);
        }, pool);
    }

    private static byte[] percentDecode(String data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '%') {
                if (i + 2 >= data.length()) {
                    throw new IllegalArgumentException("a '%' escape is cut short");
                }
                out.write(HexFormat.fromHexDigits(data, i + 1, i + 3));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private InputFetch success(InputMedia input, Integer status, long bytes, String contentType,
                               Optional<InputVideo> video, Instant at, long started) {
        return new InputFetch(input.field(), DisplayUrl.of(input.url()), status, bytes, contentType,
                video.map(InputVideo::seconds).orElse(null), null, at, elapsedMillis(started));
    }

    private InputFetch failure(InputMedia input, Integer status, long bytes, String contentType, String error,
                               Instant at, long started) {
        LOG.debugf("input %s (%s) not downloaded: %s", input.field(), DisplayUrl.of(input.url()), error);
        return new InputFetch(input.field(), DisplayUrl.of(input.url()), status, bytes, contentType, null, error, at,
                elapsedMillis(started));
    }

    private String describe(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof HttpTimeoutException) {
            return "no complete answer within " + timeout.toMillis() + " ms";
        }
        if (failure instanceof CappedDownload.TooLarge) {
            return failure.getMessage();
        }
        if (failure instanceof ConnectException) {
            return "cannot connect: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof UncheckedIOException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("could not delete %s: %s", file, e.getMessage());
            }
        }
    }

    private static final class Threads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "emulator-input-fetch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
