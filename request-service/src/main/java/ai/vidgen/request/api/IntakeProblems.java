package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.GenerationIntake.Outcome;

/**
 * The problems of the intake's refusals that every door of the HTTP API (native and OpenAI-style)
 * answers alike, so their types stay one each.
 */
final class IntakeProblems {

    static final String KEY_REUSED = Problem.type("idempotency-key-reused");
    static final String UNPRICEABLE = Problem.type("unpriceable");

    private IntakeProblems() {
    }

    /** 409: the Idempotency-Key was used before for a different request. */
    static ProblemException keyReused(String detail) {
        return new ProblemException(Problem.of(KEY_REUSED, "Idempotency key reused", 409, detail));
    }

    /** 422 with billing's machine reason ({@code no_price}): admission would reject it anyway. */
    static ProblemException unpriceable(String title, Outcome.Unpriceable refused) {
        return new ProblemException(Problem.of(UNPRICEABLE, title, 422, refused.detail()).withReason(refused.reason()));
    }
}
