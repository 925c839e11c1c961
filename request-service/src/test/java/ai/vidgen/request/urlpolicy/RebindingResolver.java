package ai.vidgen.request.urlpolicy;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DNS rebinding for the tests: {@code name} answers a public address for its first
 * {@code publicAnswers} lookups and 127.0.0.1 after that; every other name answers the public
 * address. Nothing listens on that public address, so a connection there simply fails.
 */
public final class RebindingResolver implements HostResolver {

    public static final String PUBLIC = "93.184.215.14";

    private final String name;
    private final int publicAnswers;
    private final AtomicInteger lookups = new AtomicInteger();

    public RebindingResolver(String name, int publicAnswers) {
        this.name = name;
        this.publicAnswers = publicAnswers;
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return Uni.createFrom().item(() -> {
            boolean rebound = host.equals(name) && lookups.incrementAndGet() > publicAnswers;
            try {
                return List.of(InetAddress.getByName(rebound ? "127.0.0.1" : PUBLIC));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
