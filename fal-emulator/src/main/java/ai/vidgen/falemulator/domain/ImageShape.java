package ai.vidgen.falemulator.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The aspect ratios Kling's image models offer, each with the small frame the emulator renders at
 * resolution {@code 1K} ({@code 2K} doubles it): the shape is what clients can check.
 */
public enum ImageShape {
    LANDSCAPE_16_9("16:9", 320, 180),
    PORTRAIT_9_16("9:16", 180, 320),
    SQUARE_1_1("1:1", 240, 240),
    LANDSCAPE_4_3("4:3", 320, 240),
    PORTRAIT_3_4("3:4", 240, 320),
    LANDSCAPE_3_2("3:2", 300, 200),
    PORTRAIT_2_3("2:3", 200, 300),
    WIDE_21_9("21:9", 336, 144);

    /** fal's default for Kling images. */
    public static final ImageShape DEFAULT = LANDSCAPE_16_9;

    private final String value;
    private final int width;
    private final int height;

    ImageShape(String value, int width, int height) {
        this.value = value;
        this.width = width;
        this.height = height;
    }

    public String value() {
        return value;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The values as fal spells them, e.g. {@code 16:9}. */
    public static List<String> spellings() {
        return Arrays.stream(values()).map(ImageShape::value).toList();
    }

    public static Optional<ImageShape> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
