package ai.vidgen.faladapter.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fal endpoint id such as {@code fal-ai/kling-video/v3/pro/text-to-video}, and fal's "app id"
 * rule: submit goes to the full id, while status, result and cancel live under
 * {@code [namespace/]owner/alias/requests/<id>} only (protocol notes, section 2; the same rule as
 * fal's JS {@code parseEndpointId}, Python {@code AppId.from_endpoint_id} and Java
 * {@code EndpointId.fromString}).
 */
public record FalEndpointId(String id, String namespace, String owner, String alias, String path) {

    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");
    private static final Pattern LEGACY = Pattern.compile("^([0-9]+)-([a-zA-Z0-9-]+)$");
    /** Segments of letters, digits, dot, dash, underscore; no empty, no {@code .}/{@code ..} segment. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    /**
     * @throws IllegalArgumentException when {@code id} is not a well-formed endpoint id; the
     *                                  check also keeps anything odd out of the URL path
     */
    public static FalEndpointId parse(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("empty fal endpoint id");
        }
        String normalised = id;
        if (!id.contains("/")) {
            var legacy = LEGACY.matcher(id);
            if (!legacy.matches()) {
                throw new IllegalArgumentException("fal endpoint id without owner: " + id);
            }
            normalised = legacy.group(1) + "/" + legacy.group(2);
        }
        List<String> parts = Arrays.asList(normalised.split("/", -1));
        for (String part : parts) {
            if (!SEGMENT.matcher(part).matches() || part.equals("..")) {
                throw new IllegalArgumentException("malformed fal endpoint id: " + id);
            }
        }
        if (NAMESPACES.contains(parts.get(0))) {
            if (parts.size() < 3) {
                throw new IllegalArgumentException("namespaced fal endpoint id needs owner and alias: " + id);
            }
            return new FalEndpointId(normalised, parts.get(0), parts.get(1), parts.get(2),
                    String.join("/", parts.subList(3, parts.size())));
        }
        return new FalEndpointId(normalised, null, parts.get(0), parts.get(1),
                String.join("/", parts.subList(2, parts.size())));
    }

    /** {@code [namespace/]owner/alias}: the root of the status, result and cancel URLs. */
    public String appRoot() {
        return (namespace == null ? "" : namespace + "/") + owner + "/" + alias;
    }

    /** The result (response) URL of a request, built by the app-id rule. */
    public String responseUrl(String queueUrl, String requestId) {
        return stripSlash(queueUrl) + "/" + appRoot() + "/requests/" + requestId;
    }

    public String statusUrl(String queueUrl, String requestId) {
        return responseUrl(queueUrl, requestId) + "/status";
    }

    public String cancelUrl(String queueUrl, String requestId) {
        return responseUrl(queueUrl, requestId) + "/cancel";
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
