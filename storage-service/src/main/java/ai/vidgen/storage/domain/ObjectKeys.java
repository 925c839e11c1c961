package ai.vidgen.storage.domain;

import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * Object keys are {@code {tenantId}/{yyyy}/{MM}/{dd}/{generationId}.mp4}.
 *
 * <p>The key is a function of the generation alone (the date is the one stored with the first
 * archive attempt), so a redelivered event or a retry writes the same key and never a second copy.
 * Tenant and generation ids become path segments, so they are restricted to a safe alphabet:
 * an id like {@code ../x} must never reach a file system or a bucket.
 */
public final class ObjectKeys {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ObjectKeys() {
    }

    public static boolean isSafeId(String id) {
        return id != null && SAFE_ID.matcher(id).matches() && !id.contains("..");
    }

    public static String videoKey(String tenantId, String generationId, LocalDate date) {
        if (!isSafeId(tenantId) || !isSafeId(generationId)) {
            throw new ArchiveFailure(FailureReason.INVALID_EVENT,
                    "tenant and generation ids must match " + SAFE_ID.pattern() + " to be used in an object key");
        }
        return String.format("%s/%04d/%02d/%02d/%s.mp4", tenantId, date.getYear(), date.getMonthValue(),
                date.getDayOfMonth(), generationId);
    }
}
