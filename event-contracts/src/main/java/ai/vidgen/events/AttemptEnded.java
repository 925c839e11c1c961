package ai.vidgen.events;

/**
 * The end of one fal attempt, successful or not: after it fal does no more work for that attempt,
 * and the attempt number tells the attempts of one generation apart (each is its own fact).
 */
public sealed interface AttemptEnded extends GenerationEvent permits GenerationCompleted, GenerationFailed {

    int attempt();

    @Override
    default String discriminator() {
        return Integer.toString(attempt());
    }

    @Override
    default boolean endsFalWork() {
        return true;
    }
}
