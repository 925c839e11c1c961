package ai.vidgen.platform.net;

import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Host names as compared in allow lists: lower case, IPv6 literals without brackets, no root dot. */
public final class Hosts {

    private Hosts() {
    }

    public static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        // "fal.media." and "fal.media" name the same host.
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** The normalized host of {@code uri}, or null when it has none. */
    public static String of(URI uri) {
        String host = uri.getHost();
        return host == null || host.isBlank() ? null : normalize(host);
    }

    /** The normalized, non-blank entries of a configured list. */
    public static Set<String> normalizeAll(Collection<String> hosts) {
        return hosts.stream().filter(h -> h != null && !h.isBlank()).map(Hosts::normalize)
                .collect(Collectors.toUnmodifiableSet());
    }
}
