package io.opentrackers.job;

import io.opentrackers.common.InvalidInputException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go: the one rule against server-side request forgery, applied when a job is submitted and again
 * before every attempt. A webhook URL is chosen by the tenant, and without this rule the service would POST, from
 * inside the operator's network, to cloud metadata endpoints, databases, its own admin API or anything else only the
 * service can reach.
 *
 * <p>An address is refused if it is loopback, private, link-local (cloud metadata at 169.254.169.254), shared
 * (carrier-grade NAT), multicast, reserved or unspecified, or an IPv6 address that embeds such an IPv4 address,
 * unless it lies in one of the operator's {@code trackers.jobs.webhook.allowed-networks}. Names are checked by what
 * they resolve to, and every resolved address must pass: a name with one public and one private address is refused,
 * since a client may pick either. At send time the checked addresses are returned, and the sender connects only to
 * them, so a DNS answer that changes between the check and the connection (rebinding) cannot redirect it.
 */
@Component
class WebhookDestinations {

    /** Resolves a host name to all its addresses; a seam so that tests can play a DNS that changes its answers. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A destination that passed the check: connect only to {@code addresses}, name {@code host} in Host and SNI. */
    record Checked(URI uri, boolean tls, String host, int port, List<InetAddress> addresses) {
    }

    /** The URL or one of the addresses its host resolves to is not a permitted destination. */
    static final class RefusedException extends Exception {
        RefusedException(String message) {
            super(message);
        }
    }

    private record Range(IpNetwork network, String description) {
    }

    private static final List<Range> REFUSED = List.of(
            range("0.0.0.0/8", "'this network' (connects to the local host)"),
            range("10.0.0.0/8", "a private network"),
            range("100.64.0.0/10", "shared address space (carrier-grade NAT, some clouds' metadata services)"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local (cloud metadata services)"),
            range("172.16.0.0/12", "a private network"),
            range("192.0.0.0/24", "IETF protocol assignments"),
            range("192.168.0.0/16", "a private network"),
            range("198.18.0.0/15", "network benchmarking"),
            range("224.0.0.0/4", "multicast"),
            range("240.0.0.0/4", "reserved and broadcast"),
            range("::/128", "the unspecified address"),
            range("::1/128", "loopback"),
            range("2001::/32", "Teredo tunnelling (hides an IPv4 address)"),
            range("fc00::/7", "a unique-local (private) network (cloud metadata services)"),
            range("fe80::/10", "link-local"),
            range("fec0::/10", "site-local"),
            range("ff00::/8", "multicast"));

    /** IPv6 prefixes whose addresses carry an IPv4 address in the given bytes; that address is checked too. */
    private static final List<IpNetwork> IPV4_IN_LAST_FOUR = List.of(
            IpNetwork.parse("::/96"), IpNetwork.parse("64:ff9b::/96"), IpNetwork.parse("64:ff9b:1::/48"));
    private static final IpNetwork SIX_TO_FOUR = IpNetwork.parse("2002::/16");

    /**
     * One to four numbers in decimal, octal ({@code 0177}) or hex ({@code 0x7f}) joined by dots: what C's
     * {@code inet_aton}, and with it many HTTP clients and proxies, read as an IPv4 address ({@code 2130706433},
     * {@code 0x7f000001} and {@code 127.1} are all 127.0.0.1). Java reads some of them differently
     * ({@code 0177.0.0.1} as 177.0.0.1), so the only numeric form accepted is the plain dotted quad.
     */
    private static final Pattern NUMERIC_HOST =
            Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private static final String ALLOW_HINT = "; webhooks reach only public addresses unless the operator allows the"
            + " network (trackers.jobs.webhook.allowed-networks)";

    private final List<IpNetwork> allowed;
    private final Resolver resolver;

    @Autowired
    WebhookDestinations(JobProperties properties) {
        this(properties.webhook().allowedNetworks(), InetAddress::getAllByName);
    }

    /** @throws IllegalArgumentException for an allowed network that is not valid CIDR (so the service does not start) */
    WebhookDestinations(List<String> allowedNetworks, Resolver resolver) {
        try {
            this.allowed = allowedNetworks.stream().map(IpNetwork::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trackers.jobs.webhook.allowed-networks: " + e.getMessage(), e);
        }
        this.resolver = resolver;
    }

    /**
     * At submit time: refuses a URL with user information, an address literal in a refused range, a name that
     * resolves to one, and a local-only name ({@code localhost}, {@code *.internal}, a name without dots …) that does
     * not resolve here. Any other name that does not resolve (yet) is accepted; the check before each attempt decides.
     *
     * @throws InvalidInputException naming {@code webhookUrl}
     */
    void checkSubmitted(String url) {
        if (url == null) {
            return;
        }
        try {
            check(url, true);
        } catch (RefusedException e) {
            throw new InvalidInputException("webhookUrl", e.getMessage());
        } catch (UnknownHostException e) {
            // not resolvable now, and not a local-only name: DNS may be set up after the job is submitted
        }
    }

    /**
     * Before an attempt: resolves the host once and checks every address.
     *
     * @throws RefusedException    the destination is not permitted (now); retrying will not help
     * @throws UnknownHostException the host does not resolve
     */
    Checked resolve(String url) throws RefusedException, UnknownHostException {
        return check(url, false);
    }

    private Checked check(String url, boolean submitting) throws RefusedException, UnknownHostException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedException("must be an http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedException("must not contain a user name or password (credentials in URLs end up in"
                    + " logs; verify the X-OpenTrackers-Signature header instead)");
        }
        if (uri.getHost() == null) {
            throw new RefusedException("must name a host");
        }
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String name = bare.toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("https");
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        if (port < 1 || port > 65535) {
            // java.net.URI takes any number of digits: 99999 was accepted at submit, then every attempt failed with
            // an exception the sender did not expect, so the notification was retried for ever (security audit)
            throw new RefusedException("has the port " + port + "; a port is a number from 1 to 65535");
        }

        if (!bare.contains(":") && NUMERIC_HOST.matcher(name).matches() && !DOTTED_QUAD.matcher(name).matches()) {
            throw new RefusedException("writes its IPv4 address as '" + bare + "'; use four decimal numbers"
                    + " (a.b.c.d), since other forms are read differently by different clients");
        }
        boolean literal = bare.contains(":") || DOTTED_QUAD.matcher(name).matches();
        InetAddress[] addresses;
        try {
            // a literal is parsed (getByName does no lookup for one), a name is resolved: once, and only these
            // addresses are connected to
            addresses = literal ? new InetAddress[] {InetAddress.getByName(bare)} : resolver.resolve(bare);
        } catch (UnknownHostException e) {
            if (submitting && isLocalOnlyName(name)) {
                throw new RefusedException("names the local-only host '" + bare + "', which does not resolve here"
                        + ALLOW_HINT);
            }
            throw e;
        }
        for (InetAddress address : addresses) {
            String reason = refusal(address);
            if (reason != null) {
                // the addresses behind a name are not echoed: that would let a tenant map the internal DNS
                throw new RefusedException(literal
                        ? "is " + reason + " (" + address.getHostAddress() + ")" + ALLOW_HINT
                        : "names a host that resolves to a private, loopback, link-local or otherwise internal"
                                + " address" + ALLOW_HINT);
            }
        }
        return new Checked(uri, tls, bare, port, List.of(addresses));
    }

    /** Why {@code address} is refused, or null if it may be reached. */
    String refusal(InetAddress address) {
        if (allowed.stream().anyMatch(network -> network.contains(address))) {
            return null;
        }
        for (Range range : REFUSED) {
            if (range.network().contains(address)) {
                return range.description();
            }
        }
        if (address instanceof Inet6Address) {
            InetAddress embedded = embeddedIpv4(address.getAddress());
            if (embedded != null) {
                String reason = refusal(embedded);
                return reason == null ? null : "an IPv6 form of " + embedded.getHostAddress() + ", " + reason;
            }
        }
        return null;
    }

    private static InetAddress embeddedIpv4(byte[] v6) {
        InetAddress address;
        try {
            address = InetAddress.getByAddress(v6);
        } catch (UnknownHostException e) {
            return null;
        }
        try {
            if (IPV4_IN_LAST_FOUR.stream().anyMatch(prefix -> prefix.contains(address))) {
                return InetAddress.getByAddress(Arrays.copyOfRange(v6, 12, 16));
            }
            if (SIX_TO_FOUR.contains(address)) {
                return InetAddress.getByAddress(Arrays.copyOfRange(v6, 2, 6));
            }
        } catch (UnknownHostException e) {
            // four bytes are always an IPv4 address
            throw new IllegalStateException(e);
        }
        return null;
    }

    /**
     * Names that exist only inside a network by definition: {@code localhost} (RFC 6761), {@code .internal} (reserved
     * for private use; cloud metadata is {@code metadata.google.internal}), {@code .local} (mDNS), {@code .home.arpa},
     * {@code .localdomain}, and single labels, which are completed by the resolver's search domains.
     */
    private static boolean isLocalOnlyName(String name) {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return !trimmed.contains(".") || trimmed.endsWith(".localhost") || trimmed.endsWith(".internal")
                || trimmed.endsWith(".local") || trimmed.endsWith(".home.arpa") || trimmed.endsWith(".localdomain");
    }

    private static Range range(String cidr, String description) {
        return new Range(IpNetwork.parse(cidr), description);
    }
}
