package ai.vidgen.falemulator.domain;

import java.util.List;
import java.util.Locale;

/**
 * What a rendered still looks like; also its cache key, like {@link VideoSpec}.
 *
 * @param highResolution {@code resolution: "2K"} (twice the 1K frame)
 * @param format         {@code output_format}: {@code png}, {@code jpeg} or {@code webp}
 */
public record ImageSpec(ImageShape shape, boolean highResolution, String format) {

    public static final List<String> FORMATS = List.of("png", "jpeg", "webp");
    public static final List<String> RESOLUTIONS = List.of("1K", "2K");

    public ImageSpec {
        if (shape == null || !FORMATS.contains(format)) {
            throw new IllegalArgumentException("a shape and one of " + FORMATS + " are required");
        }
    }

    public int width() {
        return shape.width() * (highResolution ? 2 : 1);
    }

    public int height() {
        return shape.height() * (highResolution ? 2 : 1);
    }

    public String extension() {
        return format.equals("jpeg") ? "jpg" : format;
    }

    public String contentType() {
        return "image/" + format.toLowerCase(Locale.ROOT);
    }

    /** A stable, filesystem- and URL-safe name, e.g. {@code kling-image-320x180.png}. */
    public String fileName() {
        return "kling-image-%dx%d.%s".formatted(width(), height(), extension());
    }
}
