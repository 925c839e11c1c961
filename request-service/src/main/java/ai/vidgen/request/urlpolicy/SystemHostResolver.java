package ai.vidgen.request.urlpolicy;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.List;

/** The JVM's resolver (hosts file, then DNS), off the event loop: the platform's, as this service's bean. */
@ApplicationScoped
public class SystemHostResolver implements HostResolver {

    private final ai.vidgen.platform.net.SystemHostResolver system = new ai.vidgen.platform.net.SystemHostResolver();

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return system.resolve(host);
    }
}
