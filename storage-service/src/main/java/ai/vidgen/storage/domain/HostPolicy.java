package ai.vidgen.storage.domain;

import ai.vidgen.platform.net.Hosts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which URLs the service may fetch a video from, by name, before anything is resolved.
 *
 * <p>The video URL arrives in an event and ultimately from outside, so it is treated like user
 * input (SSRF): only listed hosts, https unless the host is explicitly allowed plain http, no user
 * info, and the same check for every redirect target. Hosts are compared by exact (lower-case)
 * name; an entry {@code *.example.com} also admits any subdomain of example.com.
 *
 * <p>Where a listed name then resolves to is the platform's address policy's call (every address
 * must be public), made by the downloader's client for each connection. Only entries written as
 * IP literals ({@link #addressLiterals()}) are trusted as they are: the operator named that very
 * address (the local stack's {@code 127.0.0.1}), and there is no name to re-point.
 */
public final class HostPolicy {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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

    /** The allowed hosts written as IP literals, exempt from the public-address rule. */
    public Set<String> addressLiterals() {
        Set<String> literals = new LinkedHashSet<>();
        for (String host : allowedHosts) {
            if (host.contains(":") || IPV4_LITERAL.matcher(host).matches()) {
                literals.add(host);
            }
        }
        return Set.copyOf(literals);
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
        return Hosts.normalize(host);
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
