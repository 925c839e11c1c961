package ai.vidgen.falemulator.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * fal's "app id" rule: status, result and cancel live under {@code {namespace/}owner/alias}, not
 * under the full endpoint id. {@code workflows/} and {@code comfy/} ids carry one more segment.
 *
 * @param prefixSegments how many leading segments form the app root (2, or 3 when namespaced)
 */
public record AppId(List<String> segments, int prefixSegments) {

    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

    public AppId {
        segments = List.copyOf(segments);
        if (segments.size() < prefixSegments) {
            throw new IllegalArgumentException("an app id needs at least " + prefixSegments + " segments");
        }
    }

    /** Splits an endpoint id, e.g. {@code fal-ai/kling-video/v3/pro/text-to-video}. */
    public static AppId fromEndpointId(String endpointId) {
        List<String> parts = Arrays.stream(endpointId.split("/")).filter(s -> !s.isEmpty()).toList();
        if (parts.size() < 2) {
            throw new IllegalArgumentException("not an endpoint id: " + endpointId);
        }
        int prefix = NAMESPACES.contains(parts.get(0)) ? 3 : 2;
        return new AppId(parts, Math.min(prefix, parts.size()));
    }

    /** How many leading segments an app root has when a path starts with {@code first}. */
    static int rootLength(String first) {
        return NAMESPACES.contains(first) ? 3 : 2;
    }

    /** The app root, e.g. {@code fal-ai/kling-video}; the base of the queue URLs. */
    public String root() {
        return String.join("/", segments.subList(0, prefixSegments));
    }

    /** The whole endpoint id. */
    public String endpointId() {
        return String.join("/", segments);
    }

    /** Whether a status/result/cancel path prefix names this app: the app root or the full endpoint id. */
    public boolean accepts(String pathPrefix) {
        return root().equals(pathPrefix) || endpointId().equals(pathPrefix);
    }
}
