package ai.vidgen.falemulator.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * What happened when the emulated runner downloaded one input, as the admin view lists it.
 *
 * @param field        where the URL sat in the input, e.g. {@code video_url} or {@code elements[0].frontal_image_url}
 * @param url          the URL with credentials redacted ({@link DisplayUrl})
 * @param httpStatus   the answer's status; null for {@code data:} URIs and when no answer came
 * @param bytes        the bytes received (decoded, for {@code data:} URIs)
 * @param contentType  the answer's {@code Content-Type} (the media type of a {@code data:} URI)
 * @param videoSeconds the length of the input video, for the video whose length decides the output's
 * @param error        why the download failed; null when it succeeded
 * @param millis       how long the download took
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InputFetch(String field, String url, Integer httpStatus, Long bytes, String contentType,
                         Double videoSeconds, String error, Instant at, long millis) {

    public boolean succeeded() {
        return error == null;
    }
}
