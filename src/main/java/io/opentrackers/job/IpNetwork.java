package io.opentrackers.job;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}; a bare address is a network of
 * one). Parsing accepts only address literals, so reading the configuration never looks a name up.
 */
final class IpNetwork {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] address;
    private final int prefix;
    private final String text;

    private IpNetwork(byte[] address, int prefix, String text) {
        this.address = address;
        this.prefix = prefix;
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the value, if it is not an address literal with a fitting prefix */
    static IpNetwork parse(String cidr) {
        String value = cidr.strip();
        int slash = value.indexOf('/');
        String literal = slash < 0 ? value : value.substring(0, slash);
        if (!DOTTED_QUAD.matcher(literal).matches() && !literal.contains(":")) {
            throw new IllegalArgumentException("'" + cidr + "' is not a network in CIDR notation (such as 10.0.0.0/8"
                    + " or fd00::/8)");
        }
        byte[] bytes;
        try {
            // a literal (checked above) is parsed, never resolved
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + cidr + "' is not a valid IP address", e);
        }
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(value.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length", e);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + cidr + "': the prefix length must be between 0 and " + bits);
        }
        return new IpNetwork(bytes, prefix, value);
    }

    boolean contains(InetAddress candidate) {
        byte[] other = candidate.getAddress();
        if (other.length != address.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(address, 0, whole, other, 0, whole)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest);
        return (address[whole] & mask) == (other[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
