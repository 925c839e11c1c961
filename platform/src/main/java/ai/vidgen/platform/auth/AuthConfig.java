package ai.vidgen.platform.auth;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * The platform's bearer tokens. Each setting takes a comma-separated list so a token can be
 * rotated: add the new one, move the callers, remove the old one. The first service token is the
 * one this service presents when it calls another.
 */
@ConfigMapping(prefix = "vidgen.auth")
public interface AuthConfig {

    /** Operators' tokens ({@code VIDGEN_AUTH_ADMIN_TOKENS}). */
    Optional<List<String>> adminTokens();

    /** Tokens the platform's services present to each other ({@code VIDGEN_AUTH_SERVICE_TOKENS}). */
    Optional<List<String>> serviceTokens();
}
