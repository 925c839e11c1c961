package ai.vidgen.platform.net;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a URL's host once and checks every address against the {@link AddressPolicy}: the
 * address it hands out is the one to connect to, so a name that answers differently on the next
 * lookup (DNS rebinding) cannot steer the connection elsewhere.
 *
 * <p>Exempt hosts (as written in the URL: the local stack's {@code 127.0.0.1}) skip the address
 * check; they are still resolved once and connected to at that address.
 */
public final class DestinationGuard {

    private final HostResolver resolver;
    private final Set<String> exemptHosts;
    private final Duration resolveTimeout;

    public DestinationGuard(HostResolver resolver, Collection<String> exemptHosts, Duration resolveTimeout) {
        this.resolver = resolver;
        this.exemptHosts = Hosts.normalizeAll(exemptHosts);
        this.resolveTimeout = resolveTimeout;
    }

    public boolean isExempt(String host) {
        return exemptHosts.contains(Hosts.normalize(host));
    }

    /**
     * Every address of {@code host}, all of them public (unless the host is exempt). Fails with a
     * {@link RefusedUrlException} ({@code UNRESOLVED} or {@code NOT_PUBLIC}) otherwise.
     */
    public Uni<List<InetAddress>> addresses(String host, boolean redirect) {
        String h = Hosts.normalize(host);
        return resolver.resolve(h)
                .ifNoItem().after(resolveTimeout).fail()
                .onFailure().transform(f -> new RefusedUrlException(RefusedUrlException.Reason.UNRESOLVED,
                        "host " + h + " does not resolve", redirect))
                .map(addresses -> {
                    if (addresses.isEmpty()) {
                        throw new RefusedUrlException(RefusedUrlException.Reason.UNRESOLVED,
                                "host " + h + " does not resolve", redirect);
                    }
                    if (!exemptHosts.contains(h)) {
                        for (InetAddress address : addresses) {
                            Optional<String> kind = AddressPolicy.nonPublicKind(address);
                            if (kind.isPresent()) {
                                throw new RefusedUrlException(RefusedUrlException.Reason.NOT_PUBLIC, "host " + h
                                        + " resolves to " + address.getHostAddress() + ", " + kind.get(), redirect);
                            }
                        }
                    }
                    return addresses;
                });
    }

    /** The checked destination of an absolute http(s) URL: its first address, resolved this once. */
    public Uni<Destination> destination(URI uri, boolean redirect) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = Hosts.of(uri);
        if (!uri.isAbsolute() || host == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return Uni.createFrom().failure(new RefusedUrlException(RefusedUrlException.Reason.INVALID_URL,
                    "only absolute http(s) URLs with a host can be fetched", redirect));
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        return addresses(host, redirect).map(addresses -> new Destination(uri, host, port, tls, addresses.get(0)));
    }
}
