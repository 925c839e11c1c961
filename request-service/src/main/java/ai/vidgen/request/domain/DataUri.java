package ai.vidgen.request.domain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code data:} URI (RFC 2397) decoded: {@code data:[<media type>][;base64],<data>}. Clients
 * put small files inline this way (the OpenAI-style API turns an uploaded file into one too).
 *
 * @param mediaType {@code type/subtype} in lower case, without parameters; {@code text/plain}
 *                  when the URI names none, as the RFC says
 */
public record DataUri(String mediaType, byte[] bytes) {

    public static final String SCHEME = "data:";

    /** Whether the text is meant as a data: URI (the validator accepts them where URLs go). */
    public static boolean isDataUri(String text) {
        return text != null && text.startsWith(SCHEME);
    }

    /** The decoded URI, or empty when it is not a well-formed data: URI. */
    public static Optional<DataUri> parse(String text) {
        if (!isDataUri(text)) {
            return Optional.empty();
        }
        int comma = text.indexOf(',');
        if (comma < 0) {
            return Optional.empty();
        }
        String[] header = text.substring(SCHEME.length(), comma).split(";", -1);
        boolean base64 = header.length > 1 && header[header.length - 1].trim().equalsIgnoreCase("base64");
        String type = header[0].trim().toLowerCase(Locale.ROOT);
        if (type.isEmpty()) {
            type = "text/plain";
        } else if (!type.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")) {
            return Optional.empty();
        }
        Optional<byte[]> payload = percentDecoded(text.substring(comma + 1));
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        if (!base64) {
            return Optional.of(new DataUri(type, payload.get()));
        }
        String encoded = new String(payload.get(), StandardCharsets.US_ASCII).replaceAll("[\\s]", "");
        try {
            return Optional.of(new DataUri(type, Base64.getDecoder().decode(encoded)));
        } catch (IllegalArgumentException notStandard) {
            try {
                return Optional.of(new DataUri(type, Base64.getUrlDecoder().decode(encoded)));
            } catch (IllegalArgumentException notBase64) {
                return Optional.empty();
            }
        }
    }

    /** {@code %XX} escapes decoded to bytes; other characters as their UTF-8 bytes. */
    private static Optional<byte[]> percentDecoded(String data) {
        if (data.indexOf('%') < 0) {
            return Optional.of(data.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        int from = 0;
        for (int percent = data.indexOf('%'); percent >= 0; percent = data.indexOf('%', from)) {
            out.writeBytes(data.substring(from, percent).getBytes(StandardCharsets.UTF_8));
            if (percent + 2 >= data.length()) {
                return Optional.empty();
            }
            int high = Character.digit(data.charAt(percent + 1), 16);
            int low = Character.digit(data.charAt(percent + 2), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            out.write(high * 16 + low);
            from = percent + 3;
        }
        out.writeBytes(data.substring(from).getBytes(StandardCharsets.UTF_8));
        return Optional.of(out.toByteArray());
    }
}
