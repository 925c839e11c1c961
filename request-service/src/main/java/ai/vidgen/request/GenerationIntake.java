package ai.vidgen.request;

import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.messaging.ServiceEventCodec;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.request.client.BillingEstimates;
import ai.vidgen.request.domain.BillableSeconds;
import ai.vidgen.request.domain.Estimate;
import ai.vidgen.request.domain.GenerationRequestValidator;
import ai.vidgen.request.domain.RequestFingerprint;
import ai.vidgen.request.domain.ValidatedRequest;
import ai.vidgen.request.domain.ValidationResult;
import ai.vidgen.request.domain.UserUrl;
import ai.vidgen.request.domain.Violation;
import ai.vidgen.request.domain.Violations;
import ai.vidgen.request.urlpolicy.UrlPolicy;
import ai.vidgen.events.catalog.GenerationMode;
import ai.vidgen.request.domain.InputCatalog;
import ai.vidgen.request.persistence.GenerationRepository;
import ai.vidgen.request.persistence.GenerationRow;
import ai.vidgen.request.persistence.NewGeneration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Accepting a generation, whatever door it came through: the native HTTP API, the OpenAI-style
 * API and the Kafka command topic. Validate, price an input-following endpoint at its input
 * video's length ({@link InputVideoLength}, {@code BillableSeconds}), check the idempotency key,
 * ask for an estimate, move inline files to storage-service ({@link InlineInputs}), then commit
 * the row and its GenerationRequested event together (the platform's outbox) and nudge the relay.
 */
@ApplicationScoped
public class GenerationIntake {

    /**
     * The CloudEvent source of everything this service publishes, the one the platform's codec
     * gives {@code quarkus.application.name}. Envelopes here are built with a codec of their own,
     * whose clock stands at the moment of acceptance, so the source is spelled out once for them.
     */
    public static final String EVENT_SOURCE = ServiceEventCodec.source("request-service");

    /** The answers a submission can get; each door renders them in its own format. */
    public sealed interface Outcome {
        record Accepted(String id, String endpointId, Estimate estimate) implements Outcome {
        }

        /** The idempotency key was used before for the same request: its generation, unchanged. */
        record Replayed(GenerationRow existing) implements Outcome {
        }

        record Invalid(List<Violation> violations) implements Outcome {
        }

        /** The idempotency key was used before for a different request. */
        record KeyConflict(String existingId) implements Outcome {
        }

        /** Billing will never price this (e.g. {@code no_price}); admission would reject it. */
        record Unpriceable(String reason, String detail) implements Outcome {
        }

        record DryRun(ValidatedRequest request, Estimate estimate) implements Outcome {
        }
    }

    /** More user URLs than the catalog's counts allow in one request (about 40 at most). */
    static final int MAX_POLICY_URLS = 64;

    private final GenerationRequestValidator validator;
    private final UrlPolicy urlPolicy;
    private final InputVideoLength videoLength;
    private final GenerationRepository generations;
    private final BillingEstimates billing;
    private final Outbox outbox;
    private final MeterRegistry registry;
    private final InlineInputs inline;
    private final Clock clock;

    public GenerationIntake(GenerationRepository generations, BillingEstimates billing, Outbox outbox,
            MeterRegistry registry, UrlPolicy urlPolicy, InputVideoLength videoLength, InlineInputs inline) {
        this.inline = inline;
        this.urlPolicy = urlPolicy;
        this.videoLength = videoLength;
        this.generations = generations;
        this.billing = billing;
        this.outbox = outbox;
        this.registry = registry;
        this.clock = Clock.systemUTC();
        this.validator = new GenerationRequestValidator(clock);
    }

    /**
     * @param idempotencyKey null when the client sent none
     * @param dryRun         validate and estimate only: nothing is stored or published
     */
    public Uni<Outcome> submit(String tenantId, JsonNode body, String idempotencyKey, boolean dryRun) {
        return submit(tenantId, body, idempotencyKey, dryRun, Map.of());
    }

    /**
     * @param ownVideos links this service built itself (remix's link to an archived video), each to
     *                  the generation id of its video: not user input, so the URL policy does not
     *                  apply to them. They stay unsigned in the request's fingerprint and are
     *                  signed for fal only in the event.
     */
    public Uni<Outcome> submit(String tenantId, JsonNode body, String idempotencyKey, boolean dryRun,
            Map<String, String> ownVideos) {
        ValidationResult validation = validator.validate(body);
        Set<String> trustedUrls = ownVideos.keySet();
        List<UserUrl> userUrls = GenerationRequestValidator.userUrls(body).stream()
                .filter(u -> !trustedUrls.contains(u.url())).toList();
        // More URLs than any valid request holds (the catalog's counts refused it already): not
        // worth resolving a flood of host names for.
        List<UserUrl> urls = userUrls.size() > MAX_POLICY_URLS && validation instanceof ValidationResult.Invalid
                ? List.of() : userUrls;
        // data: URIs are decoded and the URL policy resolves host names, both off the event loop;
        // their findings join the others so that one answer still lists every problem.
        return InlineInputs.decode(body == null ? null : body.get("input")).chain(inlineFiles ->
                urlPolicy.check(urls).chain(refused -> {
                    List<Violation> all = new ArrayList<>();
                    if (validation instanceof ValidationResult.Invalid invalid) {
                        all.addAll(invalid.violations());
                    }
                    all.addAll(refused);
                    all.addAll(inlineFiles.violations());
                    if (!all.isEmpty()) {
                        registry.counter("vidgen.request.generations.invalid").increment();
                        return Uni.createFrom().item(new Outcome.Invalid(Violations.merge(all)));
                    }
                    ValidatedRequest request = ((ValidationResult.Valid) validation).request();
                    // A dry run only prices the request: it makes no call to the user's host, and
                    // quotes the endpoint's longest output for an input-following endpoint.
                    return (dryRun ? Uni.createFrom().item(Optional.<Double>empty())
                            : videoLength.of(tenantId, request, inlineFiles, ownVideos)).chain(length -> {
                        Optional<Violation> tooLong = tooLong(request, length);
                        if (tooLong.isPresent()) {
                            registry.counter("vidgen.request.generations.invalid").increment();
                            return Uni.createFrom().item(new Outcome.Invalid(List.of(tooLong.get())));
                        }
                        if (request.endpoint().outputDecidesDuration()) {
                            registry.counter("vidgen.request.input.video.lengths", "known",
                                    Boolean.toString(length.isPresent())).increment();
                        }
                        // The estimate, the row and the event all carry these seconds, so the
                        // dispatcher reserves what the client was quoted.
                        return validated(tenantId, BillableSeconds.sized(request, length),
                                new Inline(inlineFiles, ownVideos), idempotencyKey, dryRun);
                    });
                }));
    }

    /**
     * Motion control's reference video may last at most 10 s (character_orientation image) or
     * 30 s (video). Its length is read only once everything else is valid: it costs requests to
     * someone else's server. An unreadable length is left for fal to judge.
     */
    private static Optional<Violation> tooLong(ValidatedRequest request, Optional<Double> length) {
        if (request.endpoint().mode() != GenerationMode.MOTION_CONTROL) {
            return Optional.empty();
        }
        boolean image = "image".equals(request.input().path("character_orientation").asText());
        int limit = InputCatalog.maxOutputSeconds(request.endpoint(), request.input());
        return length.filter(s -> s > limit + 0.05).map(s -> new Violation(
                "/input/video_url", String.format(java.util.Locale.ROOT,
                        "the reference video lasts %.1f s; with character_orientation \"%s\" it may last at most %d s",
                        s, image ? "image" : "video", limit)
                        + (image ? " (\"video\" allows up to " + InputCatalog.MOTION_VIDEO_MAX_SECONDS_VIDEO + " s)"
                                : "; trim the video")));
    }

    /** What the event's input gets instead of the request's: inline files and own links, signed. */
    private record Inline(InlineInputs.Found files, Map<String, String> ownVideos) {
    }

    private Uni<Outcome> validated(String tenantId, ValidatedRequest request, Inline inlined, String idempotencyKey,
            boolean dryRun) {
        if (dryRun) {
            return billing.estimate(request.spec()).map(outcome -> {
                if (outcome instanceof BillingEstimates.Outcome.Refused refused) {
                    return new Outcome.Unpriceable(refused.reason(), refused.detail());
                }
                return new Outcome.DryRun(request, priced(outcome));
            });
        }
        // The request as the client sent it (inline files, unsigned own links): a retry matches it,
        // while the links signed for the event differ on every attempt.
        String hash = RequestFingerprint.of(request);
        if (idempotencyKey == null) {
            return accept(tenantId, request, inlined, null, hash);
        }
        // A replay must not cost a second estimate call, let alone a second generation.
        return generations.findByIdempotencyKey(tenantId, idempotencyKey).chain(existing -> existing
                .<Uni<Outcome>>map(row -> Uni.createFrom().item(replayOrConflict(row, hash)))
                .orElseGet(() -> accept(tenantId, request, inlined, idempotencyKey, hash)));
    }

    private Uni<Outcome> accept(String tenantId, ValidatedRequest asSent, Inline inlined, String idempotencyKey,
            String hash) {
        return billing.estimate(asSent.spec()).chain(outcome -> {
            if (outcome instanceof BillingEstimates.Outcome.Refused refused) {
                return Uni.createFrom().item(new Outcome.Unpriceable(refused.reason(), refused.detail()));
            }
            // Storage unreachable: a 503 problem, and nothing is stored or published.
            return inline.externalize(tenantId, asSent.input(), inlined.files(), inlined.ownVideos())
                    .chain(rewritten -> {
                        if (rewritten instanceof InlineInputs.Rewritten.Refused refusedFiles) {
                            registry.counter("vidgen.request.generations.invalid").increment();
                            return Uni.createFrom().item(new Outcome.Invalid(refusedFiles.violations()));
                        }
                        ObjectNode input = ((InlineInputs.Rewritten.Input) rewritten).input();
                        return insert(tenantId, withInput(asSent, input), idempotencyKey, hash, priced(outcome));
                    });
        });
    }

    private static ValidatedRequest withInput(ValidatedRequest r, ObjectNode input) {
        return new ValidatedRequest(r.endpoint(), input, r.spec(), r.priority(), r.deadline(), r.metadata(),
                r.callbackUrl(), r.draft());
    }

    private Uni<Outcome> insert(String tenantId, ValidatedRequest request, String idempotencyKey, String hash,
            Estimate estimate) {
        // Microseconds: what PostgreSQL keeps, so the row, the event and list cursors agree.
        Instant acceptedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String id = UUID.randomUUID().toString();
        GenerationRequested event = new GenerationRequested(id, tenantId, request.spec(), request.input(),
                request.priority().wire(), request.deadline(), acceptedAt, request.draft());
        // The event is encoded now, stamped with the acceptance time, and published verbatim later.
        NewGeneration row = new NewGeneration(id, tenantId, request, idempotencyKey, hash, estimate, acceptedAt,
                datedAt(acceptedAt, event));
        return generations.insertAccepted(row).map(inserted -> {
            if (inserted instanceof GenerationRepository.InsertOutcome.KeyTaken taken) {
                return replayOrConflict(taken.existing(), hash);
            }
            outbox.nudge();
            registry.counter("vidgen.request.generations.accepted", KlingEndpoint.METRIC_LABEL, request.endpoint().id(),
                    "priority", request.priority().wire()).increment();
            return new Outcome.Accepted(id, request.endpoint().id(), estimate);
        });
    }

    /**
     * Asks to cancel the tenant's generation: a GenerationCancelRequested event through the outbox.
     * The outcome (cancelled, or completed if fal finished first) arrives later as events.
     */
    public Uni<GenerationRepository.CancelOutcome> cancel(String tenantId, String id, String reason) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        GenerationCancelRequested event = new GenerationCancelRequested(id, tenantId, reason, at);
        return generations.requestCancel(tenantId, id, at, datedAt(at, event)).invoke(outcome -> {
            if (outcome == GenerationRepository.CancelOutcome.REQUESTED) {
                outbox.nudge();
                registry.counter("vidgen.request.cancels.requested").increment();
            }
        });
    }

    /**
     * The event's CloudEvent, dated at {@code at} (the moment the row records), not at the moment
     * of encoding, so the row, the timeline and the event agree. The outbox stamps it with the
     * current span's trace.
     */
    private static CloudEvent datedAt(Instant at, GenerationEvent event) {
        return new EventCodec(EVENT_SOURCE, Clock.fixed(at, ZoneOffset.UTC)).envelope(event);
    }

    private static Estimate priced(BillingEstimates.Outcome outcome) {
        return outcome instanceof BillingEstimates.Outcome.Priced priced ? priced.estimate() : null;
    }

    private static Outcome replayOrConflict(GenerationRow existing, String hash) {
        return existing.requestHash().equals(hash)
                ? new Outcome.Replayed(existing)
                : new Outcome.KeyConflict(existing.id());
    }
}
