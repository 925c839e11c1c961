package ai.vidgen.billing.domain;

/** The price book in effect has no rate for this combination: refuse, never bill at zero. */
public class NoPriceException extends RuntimeException {
    public NoPriceException(String message) {
        super(message);
    }
}
