package ai.vidgen.falemulator.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The frame shapes Kling offers, each with the small frame size the emulator renders: the shape
 * is what clients can check, and small frames keep clips to a few tens of kilobytes.
 */
public enum AspectRatio {
    LANDSCAPE_16_9("16:9", 320, 180),
    PORTRAIT_9_16("9:16", 180, 320),
    SQUARE_1_1("1:1", 240, 240);

    public static final AspectRatio DEFAULT = LANDSCAPE_16_9;

    private final String value;
    private final int width;
    private final int height;

    AspectRatio(String value, int width, int height) {
        this.value = value;
        this.width = width;
        this.height = height;
    }

    /** The value as fal spells it, e.g. {@code 16:9}. */
    public String value() {
        return value;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public static Optional<AspectRatio> parse(String value) {
        return Arrays.stream(values()).filter(a -> a.value.equals(value)).findFirst();
    }
}
