package ai.vidgen.localstack;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random bearer tokens for one run of the stack. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String fresh(String kind) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "local-" + kind + "-" + HexFormat.of().formatHex(bytes);
    }
}
