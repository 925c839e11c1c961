package ai.vidgen.platform.messaging;

/**
 * An event that no retry can make acceptable (it breaks the contract, or refers to something that
 * cannot exist): it goes to the dead-letter topic with this message as the reason.
 */
public class RejectedEventException extends RuntimeException {
    public RejectedEventException(String reason) {
        super(reason);
    }
}
