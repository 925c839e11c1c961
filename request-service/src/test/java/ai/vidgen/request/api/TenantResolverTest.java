package ai.vidgen.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.ApiKeys;
import java.lang.reflect.Proxy;
import java.util.Map;
import jakarta.ws.rs.core.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The production setting (no tenant header): what the @QuarkusTest profile (switch on) cannot show. */
class TenantResolverTest {

    @Test
    void withoutTheSwitchTheTenantHeaderIsIgnoredAndTheRequestIs401() {
        TenantResolver resolver = new TenantResolver(config(false, Map.of()), null);
        Throwable failure = captured(resolver, Map.of("X-Tenant-Id", "demo"));
        ProblemException problem = assertInstanceOf(ProblemException.class, failure);
        assertEquals(401, problem.problem().status());
        assertEquals(401, ((ProblemException) captured(resolver, Map.of())).problem().status());
    }

    @Test
    void withTheSwitchTheHeaderOrTheDefaultTenantIsUsed() {
        TenantResolver resolver = new TenantResolver(config(true, Map.of()), null);
        assertEquals("demo", resolver.resolve(headers(Map.of("X-Tenant-Id", "demo"))).await().indefinitely());
        assertEquals("default", resolver.resolve(headers(Map.of())).await().indefinitely());
        assertEquals(400, ((ProblemException) captured(resolver, Map.of("X-Tenant-Id", "no spaces"))).problem().status());
    }

    @Test
    void configuredKeysAreMatchedByHash() {
        TenantResolver resolver = new TenantResolver(config(false, Map.of("acme", ApiKeys.sha256Hex("k1") + ", "
                + ApiKeys.sha256Hex("k2"))), null);
        assertEquals("acme", resolver.resolve(headers(Map.of("Authorization", "Bearer k2"))).await().indefinitely());
        assertEquals(401, ((ProblemException) captured(resolver, Map.of("Authorization", "Bearer k3"))).problem().status());
    }

    private static Throwable captured(TenantResolver resolver, Map<String, String> h) {
        return resolver.resolve(headers(h)).map(t -> (Throwable) null).onFailure().recoverWithItem(t -> t)
                .await().indefinitely();
    }

    static HttpHeaders headers(Map<String, String> values) {
        return (HttpHeaders) Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(), new Class<?>[] {HttpHeaders.class},
                (p, m, a) -> m.getName().equals("getHeaderString") ? values.get((String) a[0]) : null);
    }

    static RequestConfig config(boolean allowHeader, Map<String, String> keys) {
        RequestConfig.Auth auth = (RequestConfig.Auth) Proxy.newProxyInstance(RequestConfig.class.getClassLoader(),
                new Class<?>[] {RequestConfig.Auth.class}, (p, m, a) -> switch (m.getName()) {
                    case "allowTenantHeader" -> allowHeader;
                    case "keys" -> keys;
                    default -> null;
                });
        return (RequestConfig) Proxy.newProxyInstance(RequestConfig.class.getClassLoader(),
                new Class<?>[] {RequestConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "auth" -> auth;
                    case "defaultTenant" -> "default";
                    default -> null;
                });
    }
}
