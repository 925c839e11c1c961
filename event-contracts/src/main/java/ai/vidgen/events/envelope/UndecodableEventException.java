package ai.vidgen.events.envelope;

/** A record that is not a CloudEvent of this platform; it belongs in the dead-letter topic. */
public class UndecodableEventException extends RuntimeException {
    public UndecodableEventException(String message) {
        super(message);
    }
}
