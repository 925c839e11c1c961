package ai.vidgen.storage.client;

import ai.vidgen.platform.net.HostResolver;
import ai.vidgen.platform.net.SystemHostResolver;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.util.List;

/**
 * The tests' resolver: the JVM's, unless a test puts another in for a while (a name that rebinds
 * between lookups). The downloader resolves through it.
 */
@Alternative
@Priority(10)
@ApplicationScoped
public class ReplaceableHostResolver implements HostResolver {

    private final HostResolver system = new SystemHostResolver();
    private volatile HostResolver current = system;

    void use(HostResolver resolver) {
        current = resolver;
    }

    void restore() {
        current = system;
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return current.resolve(host);
    }
}
