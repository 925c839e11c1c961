package ai.vidgen.storage.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which URLs the service may fetch a video from.
 *
 * <p>The video URL arrives in an event and ultimately from outside, so it is treated like user
 * input (SSRF): only listed hosts, https unless the host is explicitly allowed plain http, no user
 * info, and the same check for every redirect target. Hosts are compared by exact (lower-case)
 * name; an entry {@code *.example.com} also admits any subdomain of example.com.
 */
public final class HostPolicy {

    private final Set<String> allowedHosts;
    private final Set<String> insecureHosts;

    public HostPolicy(Collection<String> allowedHosts, Collection<String> insecureHosts) {
        this.allowedHosts = normalize(allowedHosts);
        this.insecureHosts = normalize(insecureHosts);
    }

    /**
     * @param redirect whether the URL is a redirect target, which changes the reason reported when
     *                 it is refused (the original URL was fine, the CDN sent us elsewhere)
     * @return the URL, parsed
     * @throws ArchiveFailure when the URL must not be fetched
     */
    public URI check(String url, boolean redirect) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new ArchiveFailure(FailureReason.INVALID_URL, "not a valid URL");
        }
        return check(uri, redirect);
    }

    public URI check(URI uri, boolean redirect) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = hostOf(uri);
        if (!uri.isAbsolute() || host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ArchiveFailure(FailureReason.INVALID_URL, "only absolute http(s) URLs can be archived");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ArchiveFailure(FailureReason.INVALID_URL, "URLs with user info are refused");
        }
        if (!isAllowed(host)) {
            throw new ArchiveFailure(redirect ? FailureReason.REDIRECT_NOT_ALLOWED : FailureReason.HOST_NOT_ALLOWED,
                    (redirect ? "redirected to host " : "host ") + host + " is not an allowed download host");
        }
        if (scheme.equals("http") && !insecureHosts.contains(host)) {
            throw new ArchiveFailure(redirect ? FailureReason.REDIRECT_NOT_ALLOWED : FailureReason.INSECURE_URL,
                    "host " + host + " must be reached over https");
        }
        return uri;
    }

    public boolean isAllowed(String host) {
        String h = normalizeHost(host);
        if (allowedHosts.contains(h)) {
            return true;
        }
        for (String entry : allowedHosts) {
            if (entry.startsWith("*.") && h.endsWith(entry.substring(1)) && h.length() > entry.length() - 1) {
                return true;
            }
        }
        return false;
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host == null ? null : normalizeHost(host);
    }

    private static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        // "fal.media." and "fal.media" name the same host; compare without the root dot.
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Set<String> normalize(Collection<String> hosts) {
        Set<String> result = new LinkedHashSet<>();
        for (String host : hosts) {
            if (host != null && !host.isBlank()) {
                result.add(normalizeHost(host.trim()));
            }
        }
        return Set.copyOf(result);
    }
}
