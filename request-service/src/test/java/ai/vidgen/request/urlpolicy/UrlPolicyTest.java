package ai.vidgen.request.urlpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.vidgen.platform.net.RefusedUrlException;
import ai.vidgen.request.domain.UserUrl;
import ai.vidgen.request.domain.Violation;
import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The URL policy with the JVM's real resolver (hosts file and IP literals; the tests run offline). */
class UrlPolicyTest {

    private static final UrlPolicy PRODUCTION = new UrlPolicy(List.of(), new SystemHostResolver(), Duration.ofSeconds(5));
    private static final UrlPolicy LOCAL_STACK = new UrlPolicy(List.of("127.0.0.1", "localhost"),
            new SystemHostResolver(), Duration.ofSeconds(5));

    @Test
    void localhostIsRefusedAfterResolutionUnlessItIsADevHost() {
        List<Violation> refused = check(PRODUCTION, "https://localhost:8443/a.png");
        assertEquals(List.of(new Violation("/input/image_url",
                "host localhost resolves to 127.0.0.1, a loopback address; URLs must point to public hosts")), refused);
        assertEquals(List.of(), check(LOCAL_STACK, "http://localhost:8083/a.png"));
        assertEquals(List.of(), check(LOCAL_STACK, "http://127.0.0.1:8083/a.png"));
    }

    @Test
    void httpIsRefusedOutsideTheDevHosts() {
        assertEquals("the URL must use https; http is accepted only for the development hosts in "
                + "request.url-policy.dev-hosts", check(PRODUCTION, "http://127.0.0.1/a.png").get(0).detail());
    }

    @Test
    void theHttpsRuleAlsoJudgesRedirectTargets() {
        RefusedUrlException refused = assertThrows(RefusedUrlException.class,
                () -> PRODUCTION.rule().check(URI.create("http://cdn.example.com/v.mp4"), true));
        assertEquals(true, refused.redirect());
        LOCAL_STACK.rule().check(URI.create("http://127.0.0.1:8090/v.mp4"), true);
        PRODUCTION.rule().check(URI.create("https://cdn.example.com/v.mp4"), true);
    }

    @Test
    void anUnresolvableNameIsRefused() {
        assertEquals("host no-such-host.invalid does not resolve; use a public https URL",
                check(PRODUCTION, "https://no-such-host.invalid/a.png").get(0).detail());
    }

    @Test
    void everyAddressOfANameCounts() {
        HostResolver twoAddresses = host -> Uni.createFrom().item(() -> List.of(address("93.184.215.14"),
                address("10.0.0.7")));
        UrlPolicy policy = new UrlPolicy(List.of(), twoAddresses, Duration.ofSeconds(5));
        assertEquals("host cdn.test resolves to 10.0.0.7, a private address; URLs must point to public hosts",
                check(policy, "https://cdn.test/a.png").get(0).detail());
    }

    @Test
    void ipLiteralsAreCheckedToo() {
        assertEquals("host 169.254.169.254 resolves to 169.254.169.254, the cloud metadata address; URLs must point "
                + "to public hosts", check(PRODUCTION, "https://169.254.169.254/latest/meta-data").get(0).detail());
        assertEquals("host ::1 resolves to 0:0:0:0:0:0:0:1, a loopback address; URLs must point to public hosts",
                check(PRODUCTION, "https://[::1]/a").get(0).detail());
    }

    /** Special-purpose blocks of the IANA registries beyond loopback and private use are refused too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://198.18.0.1/a.mp4|host 198.18.0.1 resolves to 198.18.0.1, a benchmarking address",
            "https://192.0.0.8/a.mp4|host 192.0.0.8 resolves to 192.0.0.8, an IETF protocol assignment address",
            "https://203.0.113.5/a.mp4|host 203.0.113.5 resolves to 203.0.113.5, a documentation address",
            "https://[2002:7f00:1::1]/a.mp4|host 2002:7f00:1::1 resolves to 2002:7f00:1:0:0:0:0:1, a 6to4 address",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/a.mp4|host 2001:0:4136:e378:8000:63bf:3fff:fdd2 resolves to "
                    + "2001:0:4136:e378:8000:63bf:3fff:fdd2, a Teredo address",
            "https://[64:ff9b::7f00:1]/a.mp4|host 64:ff9b::7f00:1 resolves to 64:ff9b:0:0:0:0:7f00:1, a loopback address "
                    + "embedded in a NAT64 address"})
    void specialPurposeAddressesAreRefused(String url, String detail) {
        assertEquals(detail + "; URLs must point to public hosts", check(PRODUCTION, url).get(0).detail());
    }

    @Test
    void publicAddressesPass() {
        assertEquals(List.of(), check(PRODUCTION, "https://93.184.215.14/a.png"));
        assertEquals(List.of(), check(PRODUCTION, "https://[2606:4700::1111]/a.png"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<Violation> check(UrlPolicy policy, String url) {
        return policy.check(List.of(new UserUrl("/input/image_url", url))).await().atMost(Duration.ofSeconds(10));
    }
}
