package ai.vidgen.faladapter.client;

/** What one call to fal came to: every call ends in one, never in an exception. */
public interface FalCallOutcome {

    /** A low-cardinality label for metrics. */
    String metricTag();
}
