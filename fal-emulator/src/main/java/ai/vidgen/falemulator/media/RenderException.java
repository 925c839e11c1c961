package ai.vidgen.falemulator.media;

/** A clip could not be rendered; the message is safe to show to the client. */
public class RenderException extends RuntimeException {

    public RenderException(String message) {
        super(message);
    }

    public RenderException(String message, Throwable cause) {
        super(message, cause);
    }
}
