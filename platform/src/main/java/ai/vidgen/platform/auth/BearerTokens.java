package ai.vidgen.platform.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/** Reading and comparing bearer tokens; comparisons take the same time whatever the input. */
public final class BearerTokens {

    private static final String BEARER = "Bearer ";

    private BearerTokens() {
    }

    /** The token of an {@code Authorization} header value, if it is a bearer one. */
    public static Optional<String> presented(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** True when {@code presented} equals one of {@code valid}; every candidate is compared. */
    public static boolean matchesAny(String presented, List<String> valid) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String token : valid) {
            if (!token.isBlank()) {
                match |= MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
            }
        }
        return match;
    }
}
