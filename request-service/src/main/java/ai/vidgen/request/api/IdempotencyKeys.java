package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import java.util.List;

/**
 * The {@code Idempotency-Key} header, read alike by every door of the HTTP API (native and
 * OpenAI-style): the same key and request give the same generation ({@code Idempotent-Replayed:
 * true}), the same key with another request is a 409.
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    /** Answered with a replay, so that a client can tell it from a fresh acceptance. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * The key, trimmed, or null when none was sent. An opaque string (the IETF draft's
     * Idempotency-Key), bounded so that it is a sane index key: 1 to 255 printable ASCII characters;
     * anything else is a 400 rather than a key silently used as is.
     */
    static String parse(String value) {
        if (value == null) {
            return null;
        }
        String key = value.trim();
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new ProblemException(Problem.of(Problem.INVALID_HEADER, "Invalid Idempotency-Key", 400,
                    HEADER + " must be 1 to " + MAX_LENGTH + " printable ASCII characters")
                    .withErrors(List.of(Problem.ProblemError.parameter(HEADER, "not a valid key"))));
        }
        return key;
    }
}
