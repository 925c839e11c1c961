package ai.vidgen.falemulator.domain;

import java.util.Locale;

/** The calls of fal's queue protocol about one request, as the emulator records who made them. */
public enum QueueCall {
    SUBMIT,
    STATUS,
    RESULT,
    CANCEL;

    /** How the admin view names it: {@code submit}, {@code status}, {@code result}, {@code cancel}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
