package ai.vidgen.request.support;

import ai.vidgen.request.urlpolicy.HostResolver;
import ai.vidgen.request.urlpolicy.SystemHostResolver;
import io.quarkus.test.Mock;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Public DNS for the tests, which run without network: the names the tests use for public hosts
 * (fal's CDN, example domains) get a public address, a few named ones get the addresses the URL
 * policy must refuse, and everything else (localhost, IP literals) goes to the real resolver.
 */
@Mock
@ApplicationScoped
public class TestHostResolver implements HostResolver {

    /** A public address (documentation-free, routable) standing in for any public CDN. */
    public static final String PUBLIC = "93.184.215.14";

    private static final Map<String, List<String>> NAMES = Map.of(
            "private.example.com", List.of("10.1.2.3"),
            "metadata.example.com", List.of("169.254.169.254"),
            // One public and one private address: every address of the name counts.
            "mixed.example.com", List.of(PUBLIC, "192.168.1.20"),
            "v6-loopback.example.com", List.of("::1"));

    private final SystemHostResolver system = new SystemHostResolver();

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        List<String> fixed = NAMES.get(host);
        if (fixed == null && (host.endsWith("example.com") || host.endsWith("fal.media") || host.endsWith(".test")
                || host.endsWith("googleapis.com") || host.endsWith("example.org"))) {
            fixed = List.of(PUBLIC);
        }
        if (fixed == null) {
            return system.resolve(host);
        }
        List<String> addresses = fixed;
        return Uni.createFrom().item(() -> addresses.stream().map(TestHostResolver::literal).toList());
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
