package ai.vidgen.falemulator.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A Kling result: {@code {"video":{"url","content_type","file_name","file_size"}}}. */
public record VideoOutput(File video) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record File(String url, String contentType, String fileName, long fileSize) {
    }
}
