package ai.vidgen.falemulator.api;

/** The bodies of cancel and of unknown ids: {@code {"status":"NOT_FOUND"}} and the like. */
public record StatusOnly(String status) {
}
