package ai.vidgen.platform.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The address table against the IANA special-purpose registries, one address per block and edge. */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0|an unspecified (\"this network\") address",
            "0.255.255.255|an unspecified (\"this network\") address",
            "10.0.0.1|a private address",
            "10.255.255.255|a private address",
            "100.64.0.1|a shared (carrier-grade NAT) address",
            "100.127.255.254|a shared (carrier-grade NAT) address",
            "127.0.0.1|a loopback address",
            "127.8.9.10|a loopback address",
            "169.254.1.1|a link-local address",
            "169.254.169.254|the cloud metadata address",
            "172.16.0.1|a private address",
            "172.31.255.255|a private address",
            "192.0.0.1|an IETF protocol assignment address",
            "192.0.0.170|an IETF protocol assignment address",
            "192.0.2.55|a documentation address",
            "192.88.99.1|a deprecated 6to4 relay anycast address",
            "192.168.0.1|a private address",
            "198.18.0.1|a benchmarking address",
            "198.19.255.255|a benchmarking address",
            "198.51.100.7|a documentation address",
            "203.0.113.9|a documentation address",
            "224.0.0.1|a multicast address",
            "239.255.255.250|a multicast address",
            "240.0.0.1|a reserved address",
            "254.1.2.3|a reserved address",
            "255.255.255.255|the broadcast address",
            "::|an unspecified address",
            "::1|a loopback address",
            "::7f00:1|an IPv4-compatible address",
            "::5db8:d70e|an IPv4-compatible address",
            "64:ff9b::a00:1|a private address embedded in a NAT64 address",
            "64:ff9b::7f00:1|a loopback address embedded in a NAT64 address",
            "64:ff9b::a9fe:a9fe|the cloud metadata address embedded in a NAT64 address",
            "64:ff9b:1::5db8:d70e|a local-use NAT64 address",
            "100::1|a discard-only address",
            "100:0:0:1::1|a dummy address",
            "2001::1|a Teredo address",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2|a Teredo address",
            "2001:1::1|an IETF protocol assignment address",
            "2001:2::1|a benchmarking address",
            "2001:10::1|an ORCHID address",
            "2001:20::1|an ORCHIDv2 address",
            "2001:db8::1|a documentation address",
            "2002:7f00:1::1|a 6to4 address",
            "2002:5db8:d70e::1|a 6to4 address",
            "3fff::1|a documentation address",
            "5f00::1|a segment routing (SRv6) address",
            "fc00::1|a unique-local (private) address",
            "fd12:3456::1|a unique-local (private) address",
            "fd00:ec2::254|the cloud metadata address",
            "fe80::1|a link-local address",
            "febf::1|a link-local address",
            "fec0::1|a site-local address",
            "ff02::1|a multicast address",
            "4000::1|an address outside the IPv6 global unicast space",
            "e000::1|an address outside the IPv6 global unicast space"})
    void nonPublicAddressesAreRefusedWithTheirKind(String ip, String kind) throws Exception {
        assertThat(AddressPolicy.nonPublicKind(InetAddress.getByName(ip))).contains(kind);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "::ffff:7f00:1|a loopback address embedded in an IPv4-mapped address",
            "::ffff:a9fe:a9fe|the cloud metadata address embedded in an IPv4-mapped address",
            "::ffff:c612:1|a benchmarking address embedded in an IPv4-mapped address"})
    void ipv4MappedAddressesAreJudgedByTheirIpv4Address(String ip, String kind) throws Exception {
        // Built from raw bytes: InetAddress.getByName folds ::ffff:a.b.c.d into the IPv4 address.
        InetAddress mapped = Inet6Address.getByAddress(null, AddressRange.ipv6Bytes(ip), -1);
        assertThat(mapped.getAddress()).hasSize(16);
        assertThat(AddressPolicy.nonPublicKind(mapped)).contains(kind);
        // The folded form is judged the same, by the IPv4 address.
        assertThat(AddressPolicy.nonPublicKind(InetAddress.getByName(ip))).isPresent();
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource({
            "93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "198.20.0.1", "192.0.1.1",
            "192.0.3.1", "223.255.255.254", "2606:4700::1111", "2a00:1450:4001:80b::200e", "2001:4860:4860::8888",
            "2003::1", "64:ff9b::5db8:d70e"})
    void publicAddressesPass(String ip) throws Exception {
        assertThat(AddressPolicy.nonPublicKind(InetAddress.getByName(ip))).isEmpty();
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource({"::ffff:5db8:d70e", "::ffff:808:808"})
    void anIpv4MappedPublicAddressPasses(String ip) throws Exception {
        InetAddress mapped = Inet6Address.getByAddress(null, AddressRange.ipv6Bytes(ip), -1);
        assertThat(AddressPolicy.isPublic(mapped)).isTrue();
    }
}
