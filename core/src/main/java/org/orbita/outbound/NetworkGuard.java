package org.orbita.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps user-configured outside calls (template data sources, SQL imports, segment syncs,
 * webhooks, web push) away from this machine and
 * private networks: loopback, RFC 1918, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, IPv6 unique-local, multicast and the unspecified address are refused
 * unless private addresses are allowed or the host is listed as allowed.
 */
public final class NetworkGuard {

    private final boolean allowPrivate;
    private final Set<String> allowedHosts;

    public NetworkGuard(boolean allowPrivate, List<String> allowedHosts) {
        this.allowPrivate = allowPrivate;
        this.allowedHosts = allowedHosts == null ? Set.of()
                : Set.copyOf(allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList());
    }

    /** Allows every address: for installations that trust the authors of their data sources. */
    public static NetworkGuard open() {
        return new NetworkGuard(true, List.of());
    }

    /**
     * Checks a host before a call.
     *
     * @throws SecurityException naming the host and the address that is not allowed
     * @throws UnknownHostException when the name does not resolve
     */
    public void check(String host) throws UnknownHostException {
        if (host == null || host.isBlank()) {
            throw new SecurityException("no host given");
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (allowPrivate || allowedHosts.contains(h)) {
            return;
        }
        for (InetAddress a : InetAddress.getAllByName(h)) {
            if (isPrivate(a)) {
                throw new SecurityException(host + " is " + a.getHostAddress()
                        + ", a loopback or private address; allow it in orbita.content.external.allowed-hosts");
            }
        }
    }

    /**
     * Checks the address a connection is about to be made to, the host as it was given
     * beside it (an allowed host may resolve to a private address).
     *
     * @throws SecurityException naming the host and the address that is not allowed
     */
    public void checkAddress(String host, InetAddress address) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (allowPrivate || allowedHosts.contains(h) || allowedHosts.contains(address.getHostAddress())) {
            return;
        }
        if (isPrivate(address)) {
            throw new SecurityException(host + " is " + address.getHostAddress()
                    + ", a loopback or private address; allow it in orbita.content.external.allowed-hosts");
        }
    }

    public static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first == 127 || (first == 100 && second >= 64 && second <= 127) || (first == 198 && (second == 18 || second == 19))
                    || first >= 240;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPrivate(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
