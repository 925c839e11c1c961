package ai.vidgen.dispatcher.domain;

/** The global in-flight limit: how many more generations may be released now. */
public final class Capacity {

    private Capacity() {
    }

    public static int free(int maxInFlight, long inFlight) {
        return (int) Math.max(0, maxInFlight - inFlight);
    }
}
