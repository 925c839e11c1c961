package ai.vidgen.platform.net;

import java.net.InetAddress;
import java.net.URI;

/**
 * Where one request goes: the URL as asked (its host is what the Host header, TLS SNI and the
 * certificate check use) and the one checked address the connection is made to.
 */
public record Destination(URI uri, String host, int port, boolean tls, InetAddress address) {

    /** The request target: raw path and query, never empty. */
    public String requestTarget() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    /** Host and path only, for messages and logs: a query may carry an access token. */
    public static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
