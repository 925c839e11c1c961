package ai.vidgen.falemulator.domain;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids shaped like fal's recent ones: UUIDv7, time-ordered, so logs sort naturally. */
public final class RequestIds {

    private RequestIds() {
    }

    public static String next(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
