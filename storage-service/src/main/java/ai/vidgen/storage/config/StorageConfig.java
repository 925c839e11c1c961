package ai.vidgen.storage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the storage service. Each one can be overridden by its environment variable
 * ({@code storage.download.max-bytes} is {@code STORAGE_DOWNLOAD_MAX_BYTES}); the README lists them.
 */
@ConfigMapping(prefix = "storage")
public interface StorageConfig {

    Download download();

    Archive archive();

    /** Which {@code ObjectStore} holds the videos: {@code filesystem} or {@code s3}. */
    @WithDefault("filesystem")
    ObjectStoreType objectStore();

    Filesystem filesystem();

    S3 s3();

    Retention retention();

    Posters posters();

    Inputs inputs();

    enum ObjectStoreType {
        FILESYSTEM,
        S3
    }

    /** Fetching the MP4 from fal's CDN: where from, how long, how big. */
    interface Download {

        /**
         * Hosts a video may be downloaded from (exact names; {@code *.example.com} allows the
         * subdomains). The URL in an event is data from outside, so anything else is refused
         * before a connection is made (SSRF).
         */
        @WithDefault("fal.media,v3.fal.media,v3b.fal.media,storage.googleapis.com")
        List<String> allowedHosts();

        /**
         * Added to {@link #allowedHosts()}, so a deployment can add a host (the local fal
         * emulator on 127.0.0.1) without restating fal's own list.
         */
        Optional<List<String>> extraAllowedHosts();

        /** Hosts that may be reached over plain http; every other host needs https. */
        @WithDefault("127.0.0.1,localhost")
        List<String> insecureHosts();

        /** Redirects followed per download; each target is checked against the allowed hosts. */
        @WithDefault("5")
        int maxRedirects();

        @WithDefault("10s")
        Duration connectTimeout();

        /** A download that receives nothing for this long is abandoned (a stalled CDN connection). */
        @WithDefault("30s")
        Duration idleTimeout();

        /** Upper bound on one whole download, however steadily the bytes arrive. */
        @WithDefault("15m")
        Duration timeout();

        /** Larger videos are refused (a Kling clip is tens of MB); protects the disk. */
        @WithDefault("4294967296")
        long maxBytes();

        /**
         * Where downloads are written before verification. Defaults to a directory inside the
         * file-system store's root, so that storing is a rename on the same disk.
         */
        Optional<String> workDir();
    }

    /** Retries of one archive attempt whose bytes were bad (truncated, corrupt, unreachable CDN). */
    interface Archive {

        /** Downloads per event before the failure is published as ArchiveFailed. */
        @WithDefault("4")
        int maxAttempts();

        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("15s")
        Duration maxBackoff();

        /**
         * Archives (download, verify, store) running at once in this replica, each on a thread of
         * its own; the work queue holds the rest.
         */
        @WithDefault("4")
        int concurrency();

        /**
         * How long a claimed work item stays this replica's without renewal. Renewed while the
         * archive runs; a replica that dies leaves it to another once it has run out.
         */
        @WithDefault("60s")
        Duration lease();

        /** How often the worker looks for due work items when nothing nudged it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Work items recorded per transaction at most when many completions arrive at once. */
        @WithDefault("500")
        int intakeBatchSize();
    }

    interface Filesystem {

        /** The root directory of the file-system object store. */
        @WithDefault("${java.io.tmpdir}/vidgen-videos")
        String root();
    }

    /** An S3-compatible bucket (AWS S3, MinIO, Ceph RGW); used when {@code storage.object-store=s3}. */
    interface S3 {

        /** Endpoint override for S3-compatible servers, e.g. {@code http://minio:9000}; AWS's own when empty. */
        Optional<java.net.URI> endpoint();

        @WithDefault("us-east-1")
        String region();

        @WithDefault("vidgen-videos")
        String bucket();

        /** Path-style addressing ({@code endpoint/bucket/key}), which MinIO and Ceph usually need. */
        @WithDefault("false")
        boolean pathStyleAccess();

        /** Static credentials; when either is empty the SDK's default chain (env, profile, IAM role) is used. */
        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /** Files of at least this many bytes are uploaded in parts. */
        @WithDefault("16777216")
        long multipartThreshold();

        /** Size of one multipart part (at least 5 MiB; S3 allows 10,000 parts). */
        @WithDefault("16777216")
        long partSize();

        /** Creates the bucket at start-up when it is missing (embedded stack, tests). */
        @WithDefault("false")
        boolean createBucket();

        /** How long the presigned URL that {@code GET /v1/videos/{id}} redirects to stays valid. */
        @WithDefault("15m")
        Duration presignValidity();
    }

    /** A poster frame (JPEG) per video, made with ffmpeg when it is installed. */
    interface Posters {

        @WithDefault("true")
        boolean enabled();

        /** The ffmpeg executable (a name on the PATH or a path). */
        @WithDefault("ffmpeg")
        String ffmpeg();

        /** Largest width of the poster in pixels (smaller videos keep theirs). */
        @WithDefault("640")
        int width();

        @WithDefault("30s")
        Duration timeout();
    }

    /** Inputs that requests carried inline, uploaded by request-service ({@code POST /v1/inputs}). */
    interface Inputs {

        /**
         * The largest input accepted, in bytes. {@code quarkus.http.limits.max-body-size} must be
         * at least as large, or the HTTP layer refuses bigger bodies first.
         */
        @WithDefault("20971520")
        long maxBytes();
    }

    /** Deleting archived videos once they are older than a number of days. */
    interface Retention {

        /** Videos archived more than this many days ago are deleted; empty keeps them forever. */
        Optional<Integer> days();

        /** How often the scheduled sweep runs. */
        @WithDefault("1h")
        String every();

        /** Videos deleted per sweep at most (the next sweep continues). */
        @WithDefault("500")
        int batchSize();
    }
}
