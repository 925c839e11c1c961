package ai.vidgen.falemulator.domain;

/**
 * Where invalid input surfaces. fal's queue accepts any body and its runner rejects it, so the
 * failure shows up as COMPLETED with an error and a 422 from the result call ({@link #RESULT});
 * {@link #SUBMIT} answers the submit itself with the 422, which gives faster feedback in tests.
 */
public enum ValidationMode {
    SUBMIT,
    RESULT
}
