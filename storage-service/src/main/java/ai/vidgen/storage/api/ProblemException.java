package ai.vidgen.storage.api;

import java.util.Map;

/** Ends a request with a problem+json answer; mapped by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, String> headers;

    public ProblemException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, Map.of());
    }

    public ProblemException(int status, String slug, String title, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Unknown, not yet archived, and owned by another tenant all look the same, so a caller cannot
     * learn which generation ids exist.
     */
    static ProblemException videoNotFound(String generationId) {
        return new ProblemException(404, "video-not-found", "Video not found",
                "no archived video " + generationId + " for this tenant");
    }
}
