package ai.vidgen.request.api;

import ai.vidgen.platform.money.Money;
import ai.vidgen.request.client.StorageLinks;
import ai.vidgen.request.domain.Estimate;
import ai.vidgen.request.domain.ValidatedRequest;
import ai.vidgen.request.persistence.GenerationRow;
import ai.vidgen.request.persistence.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Renders stored generations as the API's JSON views. */
@ApplicationScoped
public class GenerationViews {

    static final String BASE_PATH = "/v1/generations/";

    private final StorageLinks links;

    public GenerationViews(StorageLinks links) {
        this.links = links;
    }

    public Views.Generation generation(GenerationRow g, List<TimelineEntry> timeline) {
        return new Views.Generation(
                g.id(), g.tenantId(), g.endpointId(), g.status().wire(), g.draft(), g.ranOnEndpointId(),
                g.cancelRequestedAt(), g.reservedMicros() == null ? null : new Views.ReservedView(g.reservedMicros(),
                        Money.format(g.reservedMicros()), Money.CURRENCY, g.reservedPriceBookVersion()),
                g.callbackUrl(), g.priority().wire(), g.input(),
                new Views.SpecView(g.specSeconds(), g.specAudio(), g.specVoiceControl()),
                g.metadata(), g.deadline(), estimate(g.estimate()), cost(g.cost()), video(g.tenantId(), g.id(), g.video()),
                g.falRequestId(), g.queuePosition(),
                g.error() == null ? null : new Views.ErrorView(g.error().type(), g.error().message(), g.error().retryable()),
                timeline.stream().map(t -> new Views.TimelineView(t.stage(), t.attempt() > 0 ? t.attempt() : null, t.at()))
                        .toList(),
                g.createdAt(), g.updatedAt(), links(g.id()));
    }

    /** The data of a terminal callback. */
    public Views.Callback callback(GenerationRow g) {
        return new Views.Callback(g.id(), g.status().wire(), g.endpointId(), g.ranOnEndpointId(), g.draft(),
                g.metadata(), video(g.tenantId(), g.id(), g.video()), cost(g.cost()),
                g.error() == null ? null : new Views.ErrorView(g.error().type(), g.error().message(), g.error().retryable()),
                g.updatedAt(), links(g.id()));
    }

    public Views.Accepted accepted(String id, String status, String endpointId, Estimate estimate) {
        return new Views.Accepted(id, status, endpointId, estimate(estimate), links(id));
    }

    public Views.DryRun dryRun(ValidatedRequest request, Estimate estimate) {
        return new Views.DryRun(true, request.endpoint().id(), new Views.SpecView(request.spec().seconds(),
                request.spec().audio(), request.spec().voiceControl()), estimate(estimate));
    }

    public static Views.Links links(String id) {
        return new Views.Links(BASE_PATH + id);
    }

    static Views.EstimateView estimate(Estimate e) {
        return e == null ? null : new Views.EstimateView(e.amountMicros(), Money.format(e.amountMicros()),
                Money.CURRENCY, e.rateMicrosPerSecond(), e.seconds(), e.priceBookVersion());
    }

    private static Views.CostView cost(GenerationRow.Cost c) {
        return c == null ? null : new Views.CostView(c.amountMicros(), Money.format(c.amountMicros()), Money.CURRENCY,
                c.rateMicrosPerSecond(), c.billedSeconds(), c.priceBookVersion());
    }

    /**
     * The client downloads from storage-service (HTTP Range) with a link signed for the tenant,
     * valid for {@code request.video-url-validity} from the moment the view is rendered: reading the
     * generation again gives a fresh one.
     */
    private Views.VideoView video(String tenantId, String id, GenerationRow.Video v) {
        return v == null ? null : new Views.VideoView(v.objectKey(), v.location(), links.videoForClient(tenantId, id),
                v.contentType(), v.bytes(), v.durationMillis(), v.width(), v.height(), v.hasAudio(), v.sha256());
    }
}
