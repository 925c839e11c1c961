package ai.vidgen.request.messaging;

import java.util.Set;

/**
 * Who sent a command, as far as its signature shows: a producer key whose tenants the command may
 * act for, or the reason the record proves no producer at all (answered as a rejection).
 */
public sealed interface CommandProducer {

    /** The record is signed by {@code keyId}, which may act for {@code tenants}. */
    record Verified(String keyId, Set<String> tenants) implements CommandProducer {
        public boolean mayActFor(String tenant) {
            return tenants.contains(tenant);
        }
    }

    /**
     * The record proves no producer.
     *
     * @param reason the reply's machine reason: {@code unsigned}, {@code unknown_key} or {@code bad_signature}
     */
    record Unverified(String reason, String detail) implements CommandProducer {
    }
}
