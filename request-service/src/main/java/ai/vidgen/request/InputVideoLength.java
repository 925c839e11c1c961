package ai.vidgen.request;

import ai.vidgen.request.domain.DataUri;
import ai.vidgen.request.domain.Mp4Duration;
import ai.vidgen.request.domain.ValidatedRequest;
import ai.vidgen.request.persistence.GenerationRepository;
import ai.vidgen.request.persistence.GenerationRow;
import ai.vidgen.request.urlpolicy.ReferenceVideoProbe;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * The length of the input video that decides the output's length (motion control's reference,
 * video-to-video's source), wherever it comes from: an inline {@code data:} video is read from its
 * bytes, this platform's own archived video (a remix) from its row, a user's URL with a few Range
 * requests ({@link ReferenceVideoProbe}). Empty when it cannot be told; the caller then assumes
 * the endpoint's longest output. Never blocks.
 */
@ApplicationScoped
public class InputVideoLength {

    private final ReferenceVideoProbe probe;
    private final GenerationRepository generations;

    public InputVideoLength(ReferenceVideoProbe probe, GenerationRepository generations) {
        this.probe = probe;
        this.generations = generations;
    }

    /**
     * @param inline    the request's decoded data: URIs
     * @param ownVideos links to the tenant's own archived videos, each to its generation id
     * @return the length in seconds; empty for endpoints whose output length is requested
     */
    public Uni<Optional<Double>> of(String tenantId, ValidatedRequest request, InlineInputs.Found inline,
            Map<String, String> ownVideos) {
        if (!request.endpoint().outputDecidesDuration()) {
            return Uni.createFrom().item(Optional.empty());
        }
        String url = request.input().path("video_url").asText("");
        DataUri file = inline.files().get(url);
        if (file != null) {
            return Uni.createFrom().item(Mp4Duration.of(file.bytes()));
        }
        String ownGeneration = ownVideos.get(url);
        if (ownGeneration != null) {
            return generations.find(tenantId, ownGeneration).map(row -> row.map(GenerationRow::video)
                    .map(GenerationRow.Video::durationMillis).map(millis -> millis / 1000.0));
        }
        return url.isEmpty() || DataUri.isDataUri(url) ? Uni.createFrom().item(Optional.empty()) : probe.seconds(url);
    }
}
