package ai.vidgen.platform.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Whether an address is public: the one rule every service applies before it connects to a URL
 * that came from outside (SSRF). The table is {@link SpecialPurposeAddresses}; this class finds the
 * most specific block an address falls in and decides the IPv6 forms that carry an IPv4 address.
 */
public final class AddressPolicy {

    private AddressPolicy() {
    }

    /** Empty for a public address, else what kind of address it is ("a loopback address"). */
    public static Optional<String> nonPublicKind(InetAddress address) {
        return Optional.ofNullable(kind(address.getAddress()));
    }

    public static boolean isPublic(InetAddress address) {
        return nonPublicKind(address).isEmpty();
    }

    private static String kind(byte[] bytes) {
        if (bytes.length == 4) {
            return mostSpecific(SpecialPurposeAddresses.IPV4, bytes);
        }
        if (SpecialPurposeAddresses.IPV4_MAPPED.contains(bytes)) {
            return embedded(bytes, "an IPv4-mapped address");
        }
        if (SpecialPurposeAddresses.NAT64.contains(bytes)) {
            return embedded(bytes, "a NAT64 address");
        }
        String kind = mostSpecific(SpecialPurposeAddresses.IPV6, bytes);
        if (kind == null && !SpecialPurposeAddresses.IPV6_GLOBAL_UNICAST.contains(bytes)) {
            return "an address outside the IPv6 global unicast space";
        }
        return kind;
    }

    /** The IPv4 address in the last 32 bits decides; the refusal says where it was found. */
    private static String embedded(byte[] bytes, String form) {
        byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
        String kind = mostSpecific(SpecialPurposeAddresses.IPV4, v4);
        return kind == null ? null : kind + " embedded in " + form;
    }

    private static String mostSpecific(List<AddressRange> table, byte[] bytes) {
        AddressRange best = null;
        for (AddressRange range : table) {
            if (range.contains(bytes) && (best == null || range.prefixLength() > best.prefixLength())) {
                best = range;
            }
        }
        return best == null ? null : best.kind();
    }
}
