package ai.vidgen.storage.domain;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of uploaded inputs (the images, videos and audio a request carried inline).
 *
 * <p>An input's id is {@code in-} and the SHA-256 of its tenant and bytes, so uploading the same
 * bytes again for the same tenant (a retried request) names the same object and stores nothing
 * new, while another tenant's identical file stays a separate object. Its object key is
 * {@code inputs/{tenantId}/{id}}.
 */
public final class InputIds {

    private static final String PREFIX = "in-";
    private static final Pattern ID = Pattern.compile("in-[0-9a-f]{64}");
    /**
     * What fal's inputs are. Anything else (HTML, SVG with script, ...) has no business being
     * served from here under a link fal or a browser would open.
     */
    private static final Pattern MEDIA_TYPE = Pattern.compile("(image|video|audio)/[a-z0-9][a-z0-9!#$&^_.+-]{0,100}");
    private static final Pattern SCRIPTABLE = Pattern.compile("image/svg.*");

    private InputIds() {
    }

    /** The id of an input whose tenant-and-bytes digest is {@code digest} (see {@link #digestPrefix}). */
    public static String id(byte[] digest) {
        return PREFIX + HexFormat.of().formatHex(digest);
    }

    /** What the digest of an id starts with, before the bytes: the tenant, then a separator no id contains. */
    public static byte[] digestPrefix(String tenantId) {
        return (tenantId + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String objectKey(String tenantId, String id) {
        if (!ObjectKeys.isSafeId(tenantId) || !isId(id)) {
            throw new IllegalArgumentException("not a tenant and input id that can name an object");
        }
        return "inputs/" + tenantId + "/" + id;
    }

    /**
     * The media type to store and serve, from a {@code Content-Type} header: {@code type/subtype}
     * in lower case without parameters, if it is an image (not SVG), a video or audio.
     */
    public static Optional<String> mediaType(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return MEDIA_TYPE.matcher(type).matches() && !SCRIPTABLE.matcher(type).matches()
                ? Optional.of(type) : Optional.empty();
    }
}
