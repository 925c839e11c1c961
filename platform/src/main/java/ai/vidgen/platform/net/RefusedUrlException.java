package ai.vidgen.platform.net;

/**
 * A URL that must not be fetched, found before any connection to it: its host is not public, does
 * not resolve, the URL is unusable, or the redirects went on too long. The message names the host
 * and the offending address, never the path or query (those may carry tokens).
 */
public class RefusedUrlException extends RuntimeException {

    /** Why, for callers that answer each case differently. */
    public enum Reason {
        /** Not an absolute http(s) URL with a host. */
        INVALID_URL,
        /** The host has no address, or its lookup failed or took too long. */
        UNRESOLVED,
        /** The host resolves to at least one address that is not public. */
        NOT_PUBLIC,
        /** More redirects than the request allows. */
        TOO_MANY_REDIRECTS
    }

    private final Reason reason;
    private final boolean redirect;

    public RefusedUrlException(Reason reason, String message, boolean redirect) {
        // No stack trace: an expected outcome, and the message says everything.
        super(message, null, false, false);
        this.reason = reason;
        this.redirect = redirect;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the refused URL was a redirect target rather than the URL first asked for. */
    public boolean redirect() {
        return redirect;
    }
}
