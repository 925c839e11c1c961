package ai.vidgen.request.domain;

/**
 * One thing wrong with a request.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the request body, e.g. {@code /input/duration}, so
 *                that a client can attach the message to the field it belongs to
 * @param detail  what is wrong and what is accepted instead, in words a developer can act on
 */
public record Violation(String pointer, String detail) {
}
