package ai.vidgen.faladapter.domain;

import java.util.Locale;

/** fal's {@code X-Fal-Queue-Priority}: only {@code normal} and {@code low} exist. */
public final class FalPriority {

    private FalPriority() {
    }

    /** The header value for a dispatch's priority; anything unknown or absent becomes {@code fallback}. */
    public static String normalise(String requested, String fallback) {
        if (requested != null) {
            String value = requested.strip().toLowerCase(Locale.ROOT);
            if (value.equals("normal") || value.equals("low")) {
                return value;
            }
        }
        return fallback;
    }
}
