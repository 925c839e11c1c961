package ai.vidgen.request.urlpolicy;

import ai.vidgen.request.support.TestHostResolver;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.util.List;

/**
 * The tests' resolver: the shared {@link TestHostResolver}, unless a test puts another in for a
 * while (a name that rebinds between lookups). Ranked above {@code TestHostResolver}, so the
 * service's URL policy and HTTP clients resolve through it.
 */
@Alternative
@Priority(10)
@ApplicationScoped
public class ReplaceableHostResolver implements HostResolver {

    private final HostResolver shared = new TestHostResolver();
    private volatile HostResolver current = shared;

    /** Resolves through {@code resolver} until {@link #restore()}. */
    public void use(HostResolver resolver) {
        current = resolver;
    }

    public void restore() {
        current = shared;
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return current.resolve(host);
    }
}
