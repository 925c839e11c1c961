package ai.vidgen.billing.domain;

/** The ledger has no entry for the generation, so there is nothing to correct. */
public class UnknownGenerationException extends RuntimeException {

    public UnknownGenerationException(String generationId) {
        super("the ledger has no entry for generation " + generationId);
    }
}
