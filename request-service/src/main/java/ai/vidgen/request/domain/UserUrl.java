package ai.vidgen.request.domain;

/**
 * A URL the user supplied, to be checked by the URL policy before anything fetches it.
 *
 * @param pointer where it is in the request body (RFC 6901)
 */
public record UserUrl(String pointer, String url) {
}
