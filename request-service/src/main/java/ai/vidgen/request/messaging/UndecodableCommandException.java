package ai.vidgen.request.messaging;

/** A record on {@code generation-commands} that is not a CloudEvent we can read; it is dead-lettered. */
public class UndecodableCommandException extends RuntimeException {
    public UndecodableCommandException(String reason) {
        super(reason, null, false, false);
    }
}
