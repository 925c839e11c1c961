package ai.vidgen.faladapter.webhook;

import ai.vidgen.faladapter.config.FalConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Builds and reads the webhook URLs handed to fal: {@code <public-url>/fal/webhooks/<token>}. */
@ApplicationScoped
public class WebhookUrls {

    public static final String PATH = "/fal/webhooks/";
    private static final Logger LOG = Logger.getLogger(WebhookUrls.class);

    private final Optional<String> base;
    private final WebhookToken tokens;

    public WebhookUrls(FalConfig config) {
        this.base = config.webhook().publicUrl().map(Object::toString).map(u -> u.replaceAll("/+$", ""));
        String secret = config.webhook().tokenSecret().get();
        if (secret == null || secret.isBlank() || secret.equals("random")) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            if (base.isPresent()) {
                LOG.warn("fal.webhook.token-secret is not set: using a random one, so webhook URLs handed out "
                        + "before a restart will be refused after it (polling still tracks those requests)");
            }
            this.tokens = new WebhookToken(random);
        } else {
            this.tokens = new WebhookToken(secret.getBytes(StandardCharsets.UTF_8));
        }
    }

    public boolean enabled() {
        return base.isPresent();
    }

    /** The webhook URL for one attempt; empty when webhooks are off. */
    public Optional<String> urlFor(String generationId, int attempt) {
        return base.map(b -> b + PATH + tokens.create(generationId, attempt));
    }

    public Optional<WebhookToken.Ref> read(String token) {
        return tokens.parse(token);
    }
}
