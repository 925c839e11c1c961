package ai.vidgen.platform.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request for {@link GuardedHttpClient}. Redirects are followed only for GET and HEAD, up to
 * {@code maxRedirects}; with 0 (the default) a 3xx is the answer.
 *
 * @param connectTimeout null for the client's default
 * @param idleTimeout    the exchange fails when no bytes arrive for this long; null for none
 */
public record GuardedRequest(HttpMethod method, URI uri, Map<String, String> headers, Buffer body, int maxRedirects,
        UrlRule rule, Duration connectTimeout, Duration idleTimeout) {

    public GuardedRequest {
        headers = Map.copyOf(headers);
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects < 0");
        }
    }

    public static GuardedRequest get(URI uri) {
        return new GuardedRequest(HttpMethod.GET, uri, Map.of(), null, 0, UrlRule.ANY, null, null);
    }

    public static GuardedRequest post(URI uri, Buffer body) {
        return new GuardedRequest(HttpMethod.POST, uri, Map.of(), body, 0, UrlRule.ANY, null, null);
    }

    public GuardedRequest header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new GuardedRequest(method, uri, more, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }

    /** Checks every URL (the first and each redirect target) with {@code rule} before resolving it. */
    public GuardedRequest rule(UrlRule rule) {
        return new GuardedRequest(method, uri, headers, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }

    public GuardedRequest maxRedirects(int maxRedirects) {
        return new GuardedRequest(method, uri, headers, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }

    public GuardedRequest connectTimeout(Duration connectTimeout) {
        return new GuardedRequest(method, uri, headers, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }

    public GuardedRequest idleTimeout(Duration idleTimeout) {
        return new GuardedRequest(method, uri, headers, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }

    boolean followsRedirects() {
        return maxRedirects > 0 && (method == HttpMethod.GET || method == HttpMethod.HEAD);
    }

    GuardedRequest to(URI next) {
        return new GuardedRequest(method, next, headers, body, maxRedirects, rule, connectTimeout, idleTimeout);
    }
}
