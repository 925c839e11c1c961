package ai.vidgen.storage.persistence;

/**
 * A completion as the consumer records it in {@code archive_work}.
 *
 * @param refusal null for work to do; otherwise the reason code of a completion answered with
 *                ArchiveFailed at once (it is recorded as FAILED, so a redelivery finds it answered)
 */
public record NewWork(String generationId, int attempt, String tenantId, String sourceUrl, Long expectedBytes,
        String expectedSha256, String traceparent, String refusal, String refusalMessage) {

    public boolean refused() {
        return refusal != null;
    }
}
