package ai.vidgen.request.urlpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.vidgen.request.domain.UserUrl;
import ai.vidgen.request.domain.Violation;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
    void anUnresolvableNameIsRefused() {
        assertEquals("host no-such-host.invalid does not resolve; use a public https URL",
                check(PRODUCTION, "https://no-such-host.invalid/a.png").get(0).detail());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "127.0.0.1, a loopback address",
            "127.8.9.10, a loopback address",
            "10.0.0.1, a private address",
            "172.16.5.4, a private address",
            "192.168.0.1, a private address",
            "100.64.0.1, a private address",
            "169.254.169.254, the cloud metadata address",
            "169.254.1.1, a link-local address",
            "0.0.0.0, an unspecified address",
            "::, an unspecified address",
            "::1, a loopback address",
            "fe80::1, a link-local address",
            "fd00:ec2::254, a private address",
            "::ffff:127.0.0.1, a loopback address",
            "::ffff:169.254.169.254, the cloud metadata address",
            "64:ff9b::a00:1, a private address",
            "224.0.0.1, a multicast or reserved address"})
    void nonPublicAddressesAreRecognised(String ip, String kind) throws Exception {
        assertEquals(kind, UrlPolicy.forbiddenKind(InetAddress.getByName(ip)));
    }

    @ParameterizedTest
    @CsvSource({"93.184.215.14", "8.8.8.8", "2606:4700::1111", "172.32.0.1"})
    void publicAddressesPass(String ip) throws Exception {
        assertNull(UrlPolicy.forbiddenKind(InetAddress.getByName(ip)));
    }

    @Test
    void everyAddressOfANameCounts() throws Exception {
        assertEquals("host cdn.test resolves to 10.0.0.7, a private address; URLs must point to public hosts",
                UrlPolicy.refusal("cdn.test", List.of(InetAddress.getByName("93.184.215.14"),
                        InetAddress.getByName("10.0.0.7"))));
    }

    @Test
    void ipLiteralsAreCheckedToo() {
        assertEquals("host 169.254.169.254 resolves to 169.254.169.254, the cloud metadata address; URLs must point "
                + "to public hosts", check(PRODUCTION, "https://169.254.169.254/latest/meta-data").get(0).detail());
        assertEquals("host ::1 resolves to 0:0:0:0:0:0:0:1, a loopback address; URLs must point to public hosts",
                check(PRODUCTION, "https://[::1]/a").get(0).detail());
    }

    private static List<Violation> check(UrlPolicy policy, String url) {
        return policy.check(List.of(new UserUrl("/input/image_url", url))).await().atMost(Duration.ofSeconds(10));
    }
}
