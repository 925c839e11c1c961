package ai.vidgen.platform.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One block of addresses ({@code 198.18.0.0/15}) and what an address in it is called when a URL
 * is refused ("a benchmarking address").
 */
public final class AddressRange {

    private final String cidr;
    private final String kind;
    private final byte[] network;
    private final int prefixLength;

    private AddressRange(String cidr, String kind, byte[] network, int prefixLength) {
        this.cidr = cidr;
        this.kind = kind;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code address/prefix}; IP literals only, so nothing is ever looked up. */
    public static AddressRange of(String cidr, String kind) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR block: " + cidr);
        }
        String literal = cidr.substring(0, slash);
        byte[] network = literal.contains(":") ? ipv6Bytes(literal) : ipv4Bytes(literal);
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range: " + cidr);
        }
        return new AddressRange(cidr, kind, network, prefix);
    }

    public String cidr() {
        return cidr;
    }

    /** The description used in refusals, with its article: "a loopback address". */
    public String kind() {
        return kind;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** Whether {@code address} (4 or 16 bytes) lies in the block; another family never does. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return cidr + " (" + kind + ")";
    }

    private static byte[] ipv4Bytes(String literal) {
        if (!literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 literal: " + literal);
        }
        return parse(literal).getAddress();
    }

    /**
     * 16 bytes, also for {@code ::ffff:a.b.c.d}, which the JDK turns into the 4-byte IPv4
     * address: the IPv6 table is matched against the IPv6 bytes.
     */
    static byte[] ipv6Bytes(String literal) {
        byte[] raw = parse(literal.startsWith("[") ? literal : "[" + literal + "]").getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static InetAddress parse(String literal) {
        try {
            // A literal is parsed, never resolved: InetAddress only looks up names.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + literal, e);
        }
    }
}
