package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.config.EmulatorConfig;
import ai.vidgen.falemulator.queue.WebhookSigner;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The webhook signing keys as a JWKS at {@code emulator.jwks-path}, public like fal's. */
@ApplicationScoped
public class JwksRoute {

    void install(@Observes Router router, WebhookSigner signer, EmulatorConfig config) {
        String body = signer.jwks().encode();
        router.get(config.jwksPath())
                .order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT)
                .handler(ctx -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "public, max-age=3600")
                        .end(body));
    }
}
