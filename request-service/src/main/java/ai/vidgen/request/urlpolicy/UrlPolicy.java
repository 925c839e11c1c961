package ai.vidgen.request.urlpolicy;

import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.UserUrl;
import ai.vidgen.request.domain.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which URLs a user may make us (or fal, on our account) fetch: https only, and only hosts whose
 * every address is public. Checked after resolution because a public-looking name can point at
 * 127.0.0.1 or the cloud metadata service (SSRF). Hosts listed in
 * {@code request.url-policy.dev-hosts} are exempt from both rules, for the local stack.
 *
 * <p>The check is at the time of the request; a name that is re-pointed afterwards (DNS
 * rebinding) is caught for callbacks, which the webhook worker checks again before every attempt.
 */
@ApplicationScoped
public class UrlPolicy {

    private final Set<String> devHosts;
    private final HostResolver resolver;
    private final Duration timeout;

    @Inject
    public UrlPolicy(RequestConfig config, HostResolver resolver) {
        this(config.urlPolicy().devHosts().orElse(List.of()), resolver, config.urlPolicy().resolveTimeout());
    }

    public UrlPolicy(List<String> devHosts, HostResolver resolver, Duration timeout) {
        this.devHosts = devHosts.stream().map(String::trim).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
        this.timeout = timeout;
    }

    /** One violation per refused URL; an empty list when all may be fetched. */
    public Uni<List<Violation>> check(List<UserUrl> urls) {
        List<Violation> violations = new ArrayList<>();
        Map<String, List<UserUrl>> toResolve = new LinkedHashMap<>();
        for (UserUrl url : urls) {
            URI uri;
            try {
                uri = URI.create(url.url());
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(url.pointer(), "not a valid URL: " + e.getMessage()));
                continue;
            }
            String host = host(uri);
            if (host == null) {
                violations.add(new Violation(url.pointer(), "the URL has no host"));
                continue;
            }
            if (devHosts.contains(host)) {
                continue;
            }
            if (!"https".equalsIgnoreCase(uri.getScheme())) {
                violations.add(new Violation(url.pointer(), "the URL must use https; " + uri.getScheme()
                        + " is accepted only for the development hosts in request.url-policy.dev-hosts"));
                continue;
            }
            toResolve.computeIfAbsent(host, h -> new ArrayList<>()).add(url);
        }
        if (toResolve.isEmpty()) {
            return Uni.createFrom().item(violations);
        }
        List<Uni<List<Violation>>> checks = new ArrayList<>();
        toResolve.forEach((host, users) -> checks.add(resolver.resolve(host)
                .ifNoItem().after(timeout).fail()
                .map(addresses -> refusal(host, addresses))
                .onFailure().recoverWithItem(f -> "host " + host + " does not resolve; use a public https URL")
                .map(reason -> reason == null ? List.<Violation>of()
                        : users.stream().map(u -> new Violation(u.pointer(), reason)).toList())));
        return Uni.join().all(checks).andFailFast().map(results -> {
            results.forEach(violations::addAll);
            return violations;
        });
    }

    /** Whether one URL may be fetched, for callers holding a single URL (the webhook worker). */
    public Uni<String> refusal(String url) {
        return check(List.of(new UserUrl("", url)))
                .map(v -> v.isEmpty() ? null : v.get(0).detail());
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return null;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Null when every address is public, else why not (naming the first offending address). */
    static String refusal(String host, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return "host " + host + " does not resolve; use a public https URL";
        }
        Set<String> seen = new LinkedHashSet<>();
        for (InetAddress address : addresses) {
            String kind = forbiddenKind(address);
            if (kind != null && seen.add(address.getHostAddress())) {
                return "host " + host + " resolves to " + address.getHostAddress() + ", " + kind
                        + "; URLs must point to public hosts";
            }
        }
        return null;
    }

    /** Null for a public unicast address, else what kind of address it is. */
    public static String forbiddenKind(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            int a1 = b[1] & 0xff;
            if (a0 == 169 && a1 == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
                return "the cloud metadata address";
            }
            if (address.isAnyLocalAddress() || a0 == 0) {
                return "an unspecified address";
            }
            if (address.isLoopbackAddress()) {
                return "a loopback address";
            }
            if (address.isLinkLocalAddress()) {
                return "a link-local address";
            }
            if (address.isSiteLocalAddress() || (a0 == 100 && a1 >= 64 && a1 <= 127)) {
                return "a private address";
            }
            if (address.isMulticastAddress() || a0 >= 240) {
                return "a multicast or reserved address";
            }
            return null;
        }
        if (address instanceof Inet6Address v6) {
            if (address.isAnyLocalAddress()) {
                return "an unspecified address";
            }
            if (address.isLoopbackAddress()) {
                return "a loopback address";
            }
            if (address.isLinkLocalAddress()) {
                return "a link-local address";
            }
            if ((b[0] & 0xfe) == 0xfc || address.isSiteLocalAddress()) {
                // fc00::/7 unique local, which also holds the IPv6 metadata address fd00:ec2::254.
                return "a private address";
            }
            if (address.isMulticastAddress()) {
                return "a multicast address";
            }
            if (isIpv4Embedded(b)) {
                try {
                    InetAddress v4 = InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                    return forbiddenKind(v4);
                } catch (java.net.UnknownHostException e) {
                    return "an unusable address";
                }
            }
            return v6.isIPv4CompatibleAddress() ? "an IPv4-compatible address" : null;
        }
        return "an unknown kind of address";
    }

    /** ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) carry an IPv4 address that decides. */
    private static boolean isIpv4Embedded(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        return mapped || nat64;
    }
}
