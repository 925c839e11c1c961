package ai.vidgen.platform.net;

import java.net.URI;

/**
 * A caller's own rule for the URLs it fetches (https only, an allow list of hosts), applied to the
 * first URL and to every redirect target before it is resolved. Refuses by throwing.
 */
@FunctionalInterface
public interface UrlRule {

    /** Accepts anything; the address check still applies. */
    UrlRule ANY = (uri, redirect) -> {
    };

    /**
     * @param redirect whether {@code uri} is a redirect target
     * @throws RuntimeException (of the caller's choosing) when {@code uri} must not be fetched
     */
    void check(URI uri, boolean redirect);
}
