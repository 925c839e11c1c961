package ai.vidgen.storage.client;

import ai.vidgen.storage.domain.ArchiveFailure;
import ai.vidgen.storage.domain.FailureReason;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams a response body into a file, hashing and counting it on the way. Back-pressure: when
 * the file's write queue is full the response is paused until it drains, so memory stays bounded
 * whatever the size. Runs on the event loop and never blocks it (the file is a Vert.x
 * {@link AsyncFile}).
 */
final class DownloadSink {

    /** What was written: the byte count and the SHA-256 of the bytes. */
    record Written(long bytes, String sha256) {
    }

    private final AsyncFile file;
    private final ReadStream<Buffer> body;
    private final Runnable closeConnection;
    private final OptionalLong expectedLength;
    private final long maxBytes;
    private final MessageDigest digest;
    private final AtomicBoolean settled = new AtomicBoolean();
    private long bytes;

    DownloadSink(AsyncFile file, ReadStream<Buffer> body, Runnable closeConnection, OptionalLong expectedLength,
            long maxBytes) {
        this.file = file;
        this.body = body;
        this.closeConnection = closeConnection;
        this.expectedLength = expectedLength;
        this.maxBytes = maxBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the whole body; a cancelled write closes the connection and the file. */
    Uni<Written> write() {
        return Uni.createFrom().emitter(emitter -> {
            emitter.onTermination(() -> {
                if (settled.compareAndSet(false, true)) {
                    closeConnection.run();
                    file.close();
                }
            });
            // The file's handler first: registering the body's handlers can report a transfer that
            // already broke off, at once, and that closes the file.
            file.exceptionHandler(error -> fail(emitter, new UncheckedIOException("cannot write the download",
                    error instanceof IOException io ? io : new IOException(error))));
            body.handler(chunk -> {
                if (settled.get()) {
                    return;
                }
                bytes += chunk.length();
                if (bytes > maxBytes) {
                    fail(emitter, new ArchiveFailure(FailureReason.TOO_LARGE, "the video exceeds the limit of "
                            + maxBytes + " bytes"));
                    return;
                }
                digest.update(chunk.getByteBuf().nioBuffer());
                file.write(chunk);
                if (file.writeQueueFull()) {
                    body.pause();
                    file.drainHandler(drained -> body.resume());
                }
            });
            body.exceptionHandler(error -> fail(emitter, truncatedOr(error)));
            body.endHandler(end -> finish(emitter));
            body.resume();
        });
    }

    /**
     * A transfer that breaks off after some bytes, short of the announced length or with none
     * announced (chunked), is a truncated transfer, whichever error reports the break first.
     */
    private Throwable truncatedOr(Throwable error) {
        if (error instanceof TimeoutException) {
            return error;
        }
        if (expectedLength.isPresent() && bytes < expectedLength.getAsLong()) {
            return new ArchiveFailure(FailureReason.TRUNCATED, "the CDN closed the transfer after " + bytes + " of "
                    + expectedLength.getAsLong() + " bytes", true, error);
        }
        if (expectedLength.isEmpty() && bytes > 0) {
            return new ArchiveFailure(FailureReason.TRUNCATED, "the transfer broke off after " + bytes + " bytes",
                    true, error);
        }
        return error;
    }

    /** The body ended: once the file is on disk (flushed and closed) the result is known. */
    private void finish(UniEmitter<? super Written> emitter) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        file.flush().compose(flushed -> file.close()).onComplete(closed -> {
            if (closed.failed()) {
                // Our disk failed, not the CDN: an infrastructure failure, retried as such.
                emitter.fail(new UncheckedIOException("cannot write the download", new IOException(closed.cause())));
            } else if (expectedLength.isPresent() && bytes != expectedLength.getAsLong()) {
                emitter.fail(new ArchiveFailure(FailureReason.TRUNCATED, "received " + bytes
                        + " bytes, the CDN announced " + expectedLength.getAsLong()));
            } else {
                emitter.complete(new Written(bytes, HexFormat.of().formatHex(digest.digest())));
            }
        });
    }

    /** Stops the transfer, closes the file, then reports {@code error}. */
    private void fail(UniEmitter<? super Written> emitter, Throwable error) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        closeConnection.run();
        file.close().onComplete(closed -> emitter.fail(error));
    }
}
