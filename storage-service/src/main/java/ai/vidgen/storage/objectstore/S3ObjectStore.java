package ai.vidgen.storage.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, s3proxy) through the AWS SDK v2's
 * blocking client. Every method blocks; the callers run them on worker threads.
 *
 * <p>{@link #put} uploads a finished local file: a single {@code PutObject} below the multipart
 * threshold, a multipart upload of {@code part-size} parts above it. Each part's body is read
 * from the file at its offset (a fresh stream whenever the SDK asks, e.g. to sign it or to retry),
 * so the heap holds a buffer, never a part. An upload that fails is aborted, and S3 shows an
 * object under its key only once the upload completes, so a reader never sees half a video.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3ObjectStore.class);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long multipartThreshold;
    private final long partSize;

    public S3ObjectStore(S3Client s3, S3Presigner presigner, String bucket, long multipartThreshold, long partSize) {
        if (partSize < 5L * 1024 * 1024) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB");
        }
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.multipartThreshold = Math.max(multipartThreshold, 1);
        this.partSize = partSize;
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists (for the embedded stack and tests; production buckets exist). */
    public void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("created bucket %s", bucket);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
            LOG.infof("created bucket %s", bucket);
        }
    }

    @Override
    public StoredObject put(String key, Path file, String contentType) throws IOException {
        long size = Files.size(file);
        try {
            if (size < multipartThreshold) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size),
                        RequestBody.fromFile(file));
            } else {
                putMultipart(key, file, size, contentType);
            }
        } catch (SdkException e) {
            throw new IOException("cannot upload " + key + " to bucket " + bucket + ": " + e.getMessage(), e);
        }
        return new StoredObject(key, location(key), size(key).orElseThrow(
                () -> new IOException("no object under " + key + " right after uploading it")));
    }

    private void putMultipart(String key, Path file, long size, String contentType) {
        CreateMultipartUploadResponse upload = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
                .contentType(contentType));
        String uploadId = upload.uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                long partOffset = offset;
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength(length),
                        RequestBody.fromContentProvider(slice(file, partOffset, length), length, contentType));
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build());
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key)
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .build());
            LOG.debugf("uploaded %s in %d parts", key, parts.size());
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key)
                        .uploadId(uploadId).build());
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** A part of the file, re-readable from its start as often as the SDK needs (signing, retries). */
    private static ContentStreamProvider slice(Path file, long offset, long length) {
        return () -> {
            try {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                channel.position(offset);
                return new BoundedInputStream(Channels.newInputStream(channel), length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(head.contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("cannot read the size of " + key + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot read the size of " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream openRange(String key, long offset, long length) throws IOException {
        if (length <= 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)).build());
        } catch (SdkException e) {
            throw new IOException("cannot read " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        // DeleteObject succeeds whether or not there was an object, so ask first.
        boolean existed = size(key).isPresent();
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new IOException("cannot delete " + key + ": " + e.getMessage(), e);
        }
        return existed;
    }

    @Override
    public URI location(String key) {
        return URI.create("s3://" + bucket + "/" + key);
    }

    @Override
    public Optional<URI> presignedGet(String key, Duration validFor) {
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI());
        } catch (java.net.URISyntaxException | SdkException e) {
            LOG.warnf("cannot presign a GET of %s: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
