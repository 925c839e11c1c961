package ai.vidgen.falemulator.queue;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.falemulator.client.InputFetcher;
import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.domain.AccountQueue;
import ai.vidgen.falemulator.domain.CancelResult;
import ai.vidgen.falemulator.domain.Dispatch;
import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.domain.FieldError;
import ai.vidgen.falemulator.domain.DisplayUrl;
import ai.vidgen.falemulator.domain.FieldError;
import ai.vidgen.falemulator.domain.GenerationPlan;
import ai.vidgen.falemulator.domain.ImageSpec;
import ai.vidgen.falemulator.domain.InputMedia;
import ai.vidgen.falemulator.domain.InputVideo;
import ai.vidgen.falemulator.domain.KlingInputValidator;
import ai.vidgen.falemulator.domain.LogEntry;
import ai.vidgen.falemulator.domain.NewRequest;
import ai.vidgen.falemulator.domain.Outcome;
import ai.vidgen.falemulator.domain.QueueCall;
import ai.vidgen.falemulator.domain.QueueStats;
import ai.vidgen.falemulator.domain.RequestIds;
import ai.vidgen.falemulator.domain.RequestSnapshot;
import ai.vidgen.falemulator.domain.RequestStatus;
import ai.vidgen.falemulator.domain.VideoSpec;
import ai.vidgen.falemulator.media.MediaFile;
import ai.vidgen.falemulator.media.MediaLibrary;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;

/**
 * Drives the emulated account: requests wait their queue delay, start when a slot is free,
 * download their input media, "infer" for the configured time while their clip (or stills) is
 * rendered, and complete. Time is kept by Vert.x timers, never by a thread per request; the state
 * lives in {@link AccountQueue}.
 */
@ApplicationScoped
public class QueueService {

    private static final Logger LOG = Logger.getLogger(QueueService.class);

    private final AccountQueue queue;
    private final Vertx vertx;
    private final MediaLibrary media;
    private final Duration queueDelay;
    private final Duration inferenceTime;
    private final Duration retention;
    private final Faults faults;
    private final WebhookSender webhooks;
    private final InputFetcher inputs;

    public QueueService(EmulatorConfig config, Vertx vertx, MediaLibrary media, Faults faults, WebhookSender webhooks,
                        InputFetcher inputs) {
        this.queue = new AccountQueue(config.concurrency(), config.maxRequests());
        this.inputs = inputs;
        this.vertx = vertx;
        this.media = media;
        this.faults = faults;
        this.webhooks = webhooks;
        this.queueDelay = config.queueDelay();
        this.inferenceTime = config.inferenceTime();
        this.retention = config.retention();
    }

    /**
     * Queues a request under a fresh id; empty when the emulator is full of live requests.
     *
     * @param plan      what to produce, or empty when {@code rejection} says why the runner will refuse
     * @param inputKey  a digest of endpoint and input, to count duplicate submissions
     * @param baseUrl   the base of the URLs handed out for the request, without a trailing slash
     */
    public Optional<RequestSnapshot> submit(KlingEndpoint endpoint, Optional<GenerationPlan> plan,
                                            List<FieldError> rejection, String inputKey,
                                            Optional<String> webhookUrl, String baseUrl) {
        return submit(endpoint, plan, rejection, inputKey, webhookUrl, baseUrl, false, Optional.empty());
    }

    /**
     * @param lowPriority  {@code X-Fal-Queue-Priority: low}
     * @param startTimeout {@code X-Fal-Request-Timeout}: fail with 504 (user timeout) if not started by then
     */
    public Optional<RequestSnapshot> submit(KlingEndpoint endpoint, Optional<GenerationPlan> plan,
                                            List<FieldError> rejection, String inputKey,
                                            Optional<String> webhookUrl, String baseUrl,
                                            boolean lowPriority, Optional<Duration> startTimeout) {
        Instant now = now();
        NewRequest request = new NewRequest(RequestIds.next(now.toEpochMilli()), endpoint, plan, rejection,
                inputKey, webhookUrl, baseUrl, now, now.plus(queueDelay), lowPriority, startTimeout.map(now::plus));
        Optional<RequestSnapshot> queued = queue.submit(request);
        queued.ifPresent(snapshot -> after(queueDelay, this::dispatch));
        queued.ifPresent(snapshot -> startTimeout.ifPresent(timeout -> after(timeout, () -> {
            if (queue.expireIfQueued(request.id(), Outcome.startTimeout(), now())) {
                completed(request.id());
            }
        })));
        return queued;
    }

    /** {@code fal_max_queue_length}: whether this endpoint already has {@code max} or more requests waiting. */
    public boolean queueLongerThan(KlingEndpoint endpoint, int max) {
        return queue.waitingFor(endpoint.id()) >= max;
    }

    /** The request as the emulator knows it, forgotten or not (admin view, internal use). */
    public Optional<RequestSnapshot> find(String requestId) {
        return queue.find(requestId);
    }

    /** The request as fal's clients may see it: empty for an unknown id and for a forgotten request. */
    public Optional<RequestSnapshot> findForClient(String requestId) {
        return queue.find(requestId).filter(snapshot -> !snapshot.forgotten());
    }

    /** Notes the {@code traceparent} header a call about the request came with (see {@link AccountQueue#traced}). */
    public void traced(String requestId, QueueCall call, String traceparent) {
        queue.traced(requestId, call, traceparent);
    }

    public CancelResult cancel(String requestId) {
        CancelResult result = queue.cancel(requestId, now());
        if (result == CancelResult.CANCELLATION_REQUESTED) {
            LOG.debugf("request %s cancelled", requestId);
            completed(requestId);
            dispatch(); // a running request may have freed a slot
        }
        return result;
    }

    public List<RequestSnapshot> snapshots() {
        return queue.snapshots();
    }

    public QueueStats stats() {
        return queue.stats();
    }

    public void reset() {
        queue.clear();
    }

    /** Forgets requests completed longer than the retention ago, as fal expires results. */
    public int forgetExpired() {
        return queue.forgetCompletedBefore(now().minus(retention));
    }

    /** Starts whatever may start now; called on submit (after the delay), completion and cancel. */
    public void dispatch() {
        if (faults.strikes(Fault.QUEUE_STALLED, "")) {
            return; // the admin API calls dispatch() again when the fault rules change
        }
        Dispatch round = queue.startEligible(now());
        round.started().forEach(this::run);
        // Timers and the wall clock can disagree by a millisecond; come back rather than stall.
        round.retryIn().ifPresent(wait -> after(wait, this::dispatch));
    }

    private void run(NewRequest request) {
        if (request.plan().isEmpty()) {
            // The runner rejects the input straight away; no inference time is spent.
            queue.log(request.id(), LogEntry.error(now(), "Input validation failed"));
            finish(request.id(), Outcome.invalidInput(request.rejection()));
            return;
        }
        GenerationPlan plan = request.plan().get();
        Optional<Fault> fault = faults.runnerFailure(request.endpoint().id());
        if (fault.isPresent() && fault.get() == Fault.CONTENT_POLICY_VIOLATION) {
            queue.log(request.id(), LogEntry.error(now(), "Input flagged by the content checker"));
            finish(request.id(), Outcome.contentPolicyViolation());
            return;
        }
        if (fault.isPresent()) {
            queue.log(request.id(), LogEntry.error(now(), "Runner error: " + fault.get().id()));
            after(inferenceTime, () -> finish(request.id(), Outcome.requestError(fault.get().httpStatus(),
                    fault.get().id(), "Injected fault: " + fault.get().id())));
            return;
        }
        boolean truncated = faults.strikes(Fault.TRUNCATED_MEDIA, request.endpoint().id());
        // One way to serve the output: a truncated file is not also slow.
        boolean slow = !truncated && faults.strikes(Fault.MEDIA_SLOW, request.endpoint().id());
        String mediaPath = truncated ? "/media/truncated/" : slow ? "/media/slow/" : "/media/";
        CompletableFuture<Void> inference = new CompletableFuture<>();
        after(inferenceTime, () -> inference.complete(null));
        if (plan.inputs().isEmpty()) {
            generate(request, plan, Optional.empty(), inference, mediaPath);
            return;
        }
        // fal's runner downloads every input before the model runs; a failed download fails the request.
        queue.log(request.id(), LogEntry.info(now(), "Downloading %d input file%s".formatted(
                plan.inputs().size(), plan.inputs().size() == 1 ? "" : "s")));
        inputs.fetch(plan.inputs(), plan.lengthDecidingVideo()).whenComplete((fetched, failure) -> {
            if (failure != null) {
                LOG.warnf(failure, "request %s: input download failed unexpectedly", request.id());
                finish(request.id(), Outcome.internalError("The fal emulator could not download the inputs: " + failure));
                return;
            }
            queue.inputsFetched(request.id(), fetched.fetches());
            if (queue.find(request.id()).filter(r -> r.status() == RequestStatus.IN_PROGRESS).isEmpty()) {
                return; // cancelled (or forgotten) while downloading: nothing to render
            }
            if (fetched.failed().isPresent()) {
                InputMedia failed = fetched.failed().get();
                queue.log(request.id(), LogEntry.error(now(), "Could not download " + failed.field()));
                finish(request.id(), Outcome.fileDownloadError(failed.loc(), DisplayUrl.of(failed.url())));
                return;
            }
            Optional<FieldError> refused = plan.lengthDecidingVideo().isEmpty() ? Optional.empty()
                    : fetched.video().map(video -> KlingInputValidator.inputVideoErrors(plan, video))
                            .orElseGet(() -> Optional.of(unreadableVideo()));
            if (refused.isPresent()) {
                queue.log(request.id(), LogEntry.error(now(), "Input video refused: " + refused.get().msg()));
                finish(request.id(), Outcome.inputRejected(refused.get()));
                return;
            }
            generate(request, plan, fetched.video(), inference, mediaPath);
        });
    }

    /** Kling takes MP4 and MOV videos; a file without a readable video track is refused like fal's runner does. */
    private static FieldError unreadableVideo() {
        return FieldError.at(List.of("body", "video_url"),
                "The video could not be read; supported formats are mp4 and mov.", "unsupported_video_format",
                Map.of("supported_formats", List.of("mp4", "mov")));
    }

    /**
     * Renders the output, which is ready when both the render and the inference time are done.
     *
     * @param mediaPath where the output is served: {@code /media/}, or a faulty variant of it
     */
    private void generate(NewRequest request, GenerationPlan plan, Optional<InputVideo> inputVideo,
                          CompletableFuture<Void> inference, String mediaPath) {
        if (plan.image().isPresent()) {
            ImageSpec image = plan.image().get();
            queue.log(request.id(), LogEntry.info(now(), "Generating %d %s image%s".formatted(
                    plan.imageCount(), image.shape().value(), plan.imageCount() == 1 ? "" : "s")));
            media.imageFor(image)
                    .thenCombine(inference, (file, done) -> file)
                    .whenComplete((file, failure) -> finish(request.id(), failure != null ? renderFailed(request, failure)
                            : images(request, plan, image, file, mediaPath)));
            return;
        }
        VideoSpec requested = plan.video().orElseThrow();
        // Motion control and video-to-video outputs are as long as the input video.
        VideoSpec clip = inputVideo.map(video -> new VideoSpec(video.wholeSeconds(), requested.aspectRatio(), requested.audio()))
                .orElse(requested);
        queue.log(request.id(), LogEntry.info(now(), "Generating a %d s %s video%s".formatted(
                clip.seconds(), clip.aspectRatio().value(), clip.audio() ? " with audio" : "")));
        media.clipFor(clip)
                .thenCombine(inference, (file, done) -> file)
                .whenComplete((file, failure) -> finish(request.id(), failure != null ? renderFailed(request, failure)
                        : video(request, clip, file, mediaPath)));
    }

    private Outcome video(NewRequest request, VideoSpec clip, MediaFile file, String mediaPath) {
        queue.log(request.id(), LogEntry.info(now(), "Video ready"));
        String url = request.baseUrl() + mediaPath + file.fileName();
        return Outcome.Succeeded.video(new Outcome.OutputFile(url, "video/mp4", "output.mp4", file.sizeBytes(), null, null),
                clip.seconds());
    }

    /** fal returns one entry per image; the emulator's are one rendered still, listed {@code num_images} times. */
    private Outcome images(NewRequest request, GenerationPlan plan, ImageSpec image, MediaFile file, String mediaPath) {
        queue.log(request.id(), LogEntry.info(now(), "Images ready"));
        // truncated_media is the video's fault; a still is served whole, slowly or not.
        String path = mediaPath.equals("/media/slow/") ? mediaPath : "/media/";
        Outcome.OutputFile still = new Outcome.OutputFile(request.baseUrl() + path + file.fileName(),
                image.contentType(), "output." + image.extension(), file.sizeBytes(), image.width(), image.height());
        return Outcome.Succeeded.images(Collections.nCopies(plan.imageCount(), still));
    }

    private Outcome renderFailed(NewRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LOG.warnf("request %s failed: %s", request.id(), cause.getMessage());
        queue.log(request.id(), LogEntry.error(now(), "Rendering failed"));
        return Outcome.internalError("The fal emulator could not render the output: " + cause.getMessage());
    }

    private void finish(String requestId, Outcome outcome) {
        if (queue.complete(requestId, outcome, now())) {
            completed(requestId);
            dispatch();
        }
    }

    /**
     * Every completion ends here (success, failure, cancel, start timeout): the webhook goes out,
     * then request_forgotten rolls. fal had finished the request, and sent its webhook, before
     * forgetting it, so the bill stands (a success keeps its cost).
     */
    private void completed(String requestId) {
        queue.find(requestId).ifPresent(snapshot -> {
            try {
                webhooks.completed(snapshot);
            } catch (RuntimeException e) {
                LOG.warnf(e, "webhook for %s not sent", requestId);
            }
            if (faults.strikes(Fault.REQUEST_FORGOTTEN, snapshot.request().endpoint().id())
                    && queue.forgetForClients(requestId)) {
                LOG.debugf("request %s forgotten (fault)", requestId);
            }
        });
    }

    private static Instant now() {
        return Instant.now();
    }

    private void after(Duration delay, Runnable action) {
        // Vert.x timers need at least 1 ms; the callback runs on an event loop and only
        // touches in-memory state.
        vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
    }
}
