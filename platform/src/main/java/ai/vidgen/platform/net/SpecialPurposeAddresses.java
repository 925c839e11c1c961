package ai.vidgen.platform.net;

import java.util.List;

/**
 * The address blocks no URL we fetch may point to: every entry of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries that is not globally reachable or is otherwise no place for
 * a public web server (deprecated transition ranges, identifiers that are not locators), plus
 * multicast, which lives in its own registries.
 *
 * <p>Where a registry block holds a few globally reachable anycast entries (192.0.0.0/24 and
 * 2001::/23, "IETF Protocol Assignments"), the whole block is refused: those entries serve
 * protocols such as PCP, TURN and AS112, never the media or callbacks this platform fetches.
 *
 * <p>IPv6 forms that embed an IPv4 address are decided in {@link AddressPolicy}: the IPv4-mapped
 * form {@code ::ffff:0:0/96} and the well-known NAT64 prefix {@code 64:ff9b::/96} are judged by
 * the IPv4 address they carry (a socket to {@code ::ffff:a.b.c.d} reaches {@code a.b.c.d}, and a
 * DNS64 resolver in an IPv6-only cluster answers every IPv4-only public host with a
 * {@code 64:ff9b::} address, so refusing them outright would cut such clusters off). The forms
 * listed below are refused outright instead: IPv4-compatible {@code ::/96} (deprecated), local-use
 * NAT64 {@code 64:ff9b:1::/48} (not globally reachable), 6to4 {@code 2002::/16} (deprecated) and
 * Teredo {@code 2001::/32} (a tunnel endpoint, never a web host).
 *
 * <p>When blocks nest, the most specific one names the address (127.0.0.1 is "a loopback
 * address", 169.254.169.254 "the cloud metadata address").
 */
public final class SpecialPurposeAddresses {

    private static final String PRIVATE = "a private address";
    private static final String DOCUMENTATION = "a documentation address";
    private static final String PROTOCOL = "an IETF protocol assignment address";
    private static final String METADATA = "the cloud metadata address";

    /** RFC 6890 and its updates, as in the IANA IPv4 Special-Purpose Address Registry. */
    public static final List<AddressRange> IPV4 = List.of(
            AddressRange.of("0.0.0.0/8", "an unspecified (\"this network\") address"),
            AddressRange.of("10.0.0.0/8", PRIVATE),
            AddressRange.of("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            AddressRange.of("127.0.0.0/8", "a loopback address"),
            AddressRange.of("169.254.0.0/16", "a link-local address"),
            // Not a registry entry: the link-local address every cloud serves instance credentials on.
            AddressRange.of("169.254.169.254/32", METADATA),
            AddressRange.of("172.16.0.0/12", PRIVATE),
            AddressRange.of("192.0.0.0/24", PROTOCOL),
            AddressRange.of("192.0.2.0/24", DOCUMENTATION),
            AddressRange.of("192.88.99.0/24", "a deprecated 6to4 relay anycast address"),
            AddressRange.of("192.168.0.0/16", PRIVATE),
            AddressRange.of("198.18.0.0/15", "a benchmarking address"),
            AddressRange.of("198.51.100.0/24", DOCUMENTATION),
            AddressRange.of("203.0.113.0/24", DOCUMENTATION),
            AddressRange.of("224.0.0.0/4", "a multicast address"),
            AddressRange.of("240.0.0.0/4", "a reserved address"),
            AddressRange.of("255.255.255.255/32", "the broadcast address"));

    /** RFC 6890 and its updates, as in the IANA IPv6 Special-Purpose Address Registry. */
    public static final List<AddressRange> IPV6 = List.of(
            AddressRange.of("::/128", "an unspecified address"),
            AddressRange.of("::1/128", "a loopback address"),
            AddressRange.of("::/96", "an IPv4-compatible address"),
            AddressRange.of("64:ff9b:1::/48", "a local-use NAT64 address"),
            AddressRange.of("100::/64", "a discard-only address"),
            AddressRange.of("100:0:0:1::/64", "a dummy address"),
            AddressRange.of("2001::/23", PROTOCOL),
            AddressRange.of("2001::/32", "a Teredo address"),
            AddressRange.of("2001:2::/48", "a benchmarking address"),
            AddressRange.of("2001:10::/28", "an ORCHID address"),
            AddressRange.of("2001:20::/28", "an ORCHIDv2 address"),
            AddressRange.of("2001:db8::/32", DOCUMENTATION),
            AddressRange.of("2002::/16", "a 6to4 address"),
            AddressRange.of("3fff::/20", DOCUMENTATION),
            AddressRange.of("5f00::/16", "a segment routing (SRv6) address"),
            AddressRange.of("fc00::/7", "a unique-local (private) address"),
            // The IPv6 twin of 169.254.169.254 on AWS, inside the unique-local block.
            AddressRange.of("fd00:ec2::254/128", METADATA),
            AddressRange.of("fe80::/10", "a link-local address"),
            AddressRange.of("fec0::/10", "a site-local address"),
            AddressRange.of("ff00::/8", "a multicast address"));

    /**
     * The only IPv6 space assigned for global unicast (IANA IPv6 Address Space registry); an
     * address outside it that no entry above names is refused too.
     */
    public static final AddressRange IPV6_GLOBAL_UNICAST = AddressRange.of("2000::/3", "a global unicast address");

    /** The IPv4-mapped form, judged by the IPv4 address in its last 32 bits. */
    public static final AddressRange IPV4_MAPPED = AddressRange.of("::ffff:0:0/96", "an IPv4-mapped address");

    /** The well-known NAT64 prefix (RFC 6052), judged by the IPv4 address in its last 32 bits. */
    public static final AddressRange NAT64 = AddressRange.of("64:ff9b::/96", "a NAT64 address");

    private SpecialPurposeAddresses() {
    }
}
