package ai.vidgen.falemulator.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * An input URL as the emulator shows it (admin view, error bodies, logs): signed storage URLs
 * carry credentials in their query ({@code sig}, {@code X-Amz-Signature}, …), so those values are
 * replaced, user info is dropped, and {@code data:} URIs are cut to their media type.
 */
public final class DisplayUrl {

    static final String REDACTED = "REDACTED";
    private static final int MAX_CHARS = 512;
    private static final Set<String> SECRET_PARAMS = Set.of("sig", "signature", "token", "key", "api_key",
            "apikey", "access_token", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
            "x-goog-signature", "x-goog-credential");

    private DisplayUrl() {
    }

    public static String of(String url) {
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? url : url.substring(0, comma);
            return cut(header) + ",… (" + url.length() + " characters)";
        }
        try {
            URI uri = new URI(url);
            if (uri.isOpaque() || uri.getRawAuthority() == null) {
                return cut(url);
            }
            String host = uri.getHost() == null ? "" : uri.getHost();
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            StringBuilder shown = new StringBuilder()
                    .append(uri.getScheme()).append("://").append(host).append(port)
                    .append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                shown.append('?').append(redactQuery(uri.getRawQuery()));
            }
            return cut(shown.toString());
        } catch (URISyntaxException e) {
            // Not a URL fal could fetch either; a query, if any, may still hold a credential.
            int query = url.indexOf('?');
            return cut(query < 0 ? url : url.substring(0, query) + "?" + REDACTED);
        }
    }

    private static String redactQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            boolean secret = SECRET_PARAMS.contains(name.toLowerCase(Locale.ROOT));
            out.append(secret && eq >= 0 ? name + "=" + REDACTED : pair);
        }
        return out.toString();
    }

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }
}
