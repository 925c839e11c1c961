package ai.vidgen.falemulator.api;

/** fal's plain error body, {@code {"detail":"..."}}. */
public record Detail(String detail) {
}
