package ai.vidgen.request.urlpolicy;

import ai.vidgen.platform.net.DestinationGuard;
import ai.vidgen.platform.net.Hosts;
import ai.vidgen.platform.net.RefusedUrlException;
import ai.vidgen.platform.net.UrlRule;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.UserUrl;
import ai.vidgen.request.domain.Violation;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which URLs a user may make us (or fal, on our account) fetch: https only, and only hosts whose
 * every address is public (the platform's {@link ai.vidgen.platform.net.AddressPolicy}). Checked
 * after resolution because a public-looking name can point at 127.0.0.1 or the cloud metadata
 * service (SSRF). Hosts listed in {@code request.url-policy.dev-hosts} are exempt from both rules,
 * for the local stack.
 *
 * <p>The check at intake is at the time of the request. What this service fetches itself (the
 * reference-video probe, callbacks) goes through a {@link ai.vidgen.platform.net.GuardedHttpClient}
 * built on {@link #guard()} and {@link #rule()}: resolved once more at that moment, checked, and
 * connected to at the checked address, so a name re-pointed in between gains nothing.
 */
@ApplicationScoped
public class UrlPolicy {

    private static final String HTTPS_ONLY = "the URL must use https; %s is accepted only for the development "
            + "hosts in request.url-policy.dev-hosts";

    private final Set<String> devHosts;
    private final DestinationGuard guard;

    @Inject
    public UrlPolicy(RequestConfig config, HostResolver resolver) {
        this(config.urlPolicy().devHosts().orElse(List.of()), resolver, config.urlPolicy().resolveTimeout());
    }

    public UrlPolicy(List<String> devHosts, ai.vidgen.platform.net.HostResolver resolver, Duration timeout) {
        this.devHosts = Hosts.normalizeAll(devHosts);
        this.guard = new DestinationGuard(resolver, this.devHosts, timeout);
    }

    /** Resolution and the address check, with the dev hosts exempt: for this service's own requests. */
    public DestinationGuard guard() {
        return guard;
    }

    /** The https rule, for every URL this service fetches and every redirect it follows. */
    public UrlRule rule() {
        return (uri, redirect) -> {
            String refusal = schemeRefusal(uri);
            if (refusal != null) {
                throw new RefusedUrlException(RefusedUrlException.Reason.INVALID_URL, refusal, redirect);
            }
        };
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
            String refusal = schemeRefusal(uri);
            if (refusal != null) {
                violations.add(new Violation(url.pointer(), refusal));
                continue;
            }
            String host = Hosts.of(uri);
            if (!devHosts.contains(host)) {
                toResolve.computeIfAbsent(host, h -> new ArrayList<>()).add(url);
            }
        }
        if (toResolve.isEmpty()) {
            return Uni.createFrom().item(violations);
        }
        List<Uni<List<Violation>>> checks = new ArrayList<>();
        toResolve.forEach((host, users) -> checks.add(guard.addresses(host, false)
                .map(addresses -> (String) null)
                .onFailure().recoverWithItem(UrlPolicy::describe)
                .map(reason -> reason == null ? List.<Violation>of()
                        : users.stream().map(u -> new Violation(u.pointer(), reason)).toList())));
        return Uni.join().all(checks).andFailFast().map(results -> {
            results.forEach(violations::addAll);
            return violations;
        });
    }

    /** Null when the URL has a host and uses https (or names a dev host), else why not. */
    private String schemeRefusal(URI uri) {
        String host = Hosts.of(uri);
        if (host == null) {
            return "the URL has no host";
        }
        if (devHosts.contains(host) || "https".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        return String.format(HTTPS_ONLY, uri.getScheme());
    }

    private static String describe(Throwable failure) {
        if (failure instanceof RefusedUrlException refused
                && refused.reason() == RefusedUrlException.Reason.NOT_PUBLIC) {
            return refused.getMessage() + "; URLs must point to public hosts";
        }
        if (failure instanceof RefusedUrlException refused) {
            return refused.getMessage() + "; use a public https URL";
        }
        return "the URL cannot be checked; use a public https URL";
    }
}
