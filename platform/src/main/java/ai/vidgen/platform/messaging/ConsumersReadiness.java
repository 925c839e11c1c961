package ai.vidgen.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: DOWN while a consumer waits out a transient failure (see {@link ConsumerHealth}). */
@Readiness
@ApplicationScoped
public class ConsumersReadiness implements HealthCheck {

    private final ConsumerHealth health;

    public ConsumersReadiness(ConsumerHealth health) {
        this.health = health;
    }

    @Override
    public HealthCheckResponse call() {
        return health.response();
    }
}
