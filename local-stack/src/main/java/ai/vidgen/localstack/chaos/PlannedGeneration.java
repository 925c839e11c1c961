package ai.vidgen.localstack.chaos;

import java.time.Duration;

/**
 * One generation of the workload, decided before the run.
 *
 * @param submitAt    when to submit it, from the start of the window
 * @param cancelAfter when set, the client cancels it this long after it was accepted
 * @param deadlineIn  when set, it must start within this long of its submission
 * @param viaKafka    submitted as a signed command on {@code generation-commands}, not over HTTP
 */
record PlannedGeneration(
        int index,
        String tenant,
        String endpoint,
        String body,
        Duration submitAt,
        Duration cancelAfter,
        Duration deadlineIn,
        boolean draft,
        boolean viaKafka) {

    String idempotencyKey() {
        return "chaos-" + index;
    }
}
