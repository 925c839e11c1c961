package ai.vidgen.billing.api;

import ai.vidgen.billing.config.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Admin operations need {@code Authorization: Bearer <billing.admin-token>}; without a token set they do not exist. */
@ApplicationScoped
public class AdminAuth {

    private final BillingConfig config;

    public AdminAuth(BillingConfig config) {
        this.config = config;
    }

    public void require(String authorization) {
        String token = config.adminToken().filter(t -> !t.isBlank()).orElseThrow(() ->
                BillingProblems.refusal(404, "not_found", "Not found", "the admin API is not enabled"));
        String presented = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length()).trim() : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw BillingProblems.refusal(401, "unauthorized", "Unauthorized", "an admin bearer token is required");
        }
    }
}
