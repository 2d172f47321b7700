package org.orbita.mta.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where mail for a domain goes: a configured relay (per domain, or {@code *} for a smart host)
 * or the domain's MX hosts by preference, each with its A and AAAA addresses, falling back to
 * the domain's own addresses when it has no MX (RFC 5321 §5.1). Lookups go through dnsjava's
 * caching resolver (the system's name servers, or {@code mta.dns.servers}); a route is reused
 * for a few minutes. Domains whose hosts are the same set share one site, so limits apply per
 * receiving system (all of Google's domains, say), as large senders do.
 */
public final class Router {

    /** A receiving system: its hosts in the order to try (relays unresolved, MX hosts by address), named by that set. */
    public record Site(String name, List<InetSocketAddress> hosts, Credentials credentials) {
        public Site(String name, List<InetSocketAddress> hosts) {
            this(name, hosts, null);
        }
    }

    /** A relay's login (AUTH PLAIN after STARTTLS); never logged, never part of a site's name. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[" + user + ", ********]";
        }
    }

    /** A domain that cannot receive mail (no MX and no address, or a null MX, RFC 7505): its mail bounces. */
    public static final class NoRoute extends Exception {
        NoRoute(String message) {
            super(message, null, false, false);
        }
    }

    /** The name servers did not answer or failed (SERVFAIL, timeout): the mail waits and is routed again. */
    public static final class TryAgain extends Exception {
        TryAgain(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration KEEP = Duration.ofMinutes(5);

    private record Known(Site site, long until) {}

    private final Map<String, String> relays;
    private final Resolver resolver;
    private final Cache dnsCache;
    private final int mxPort;
    private final Map<String, Known> cache = new ConcurrentHashMap<>();

    /** Routes by relays, else by the system's name servers to port 25. */
    public Router(Map<String, String> relays) {
        this(relays, List.of(), 25);
    }

    /**
     * @param relays domain → {@code host:port}; {@code *} routes every other domain
     * @param dnsServers {@code host[:port]} name servers to ask (empty: the system's)
     * @param mxPort the port MX hosts are reached on (25; another only for tests and labs)
     */
    public Router(Map<String, String> relays, List<String> dnsServers, int mxPort) {
        this.relays = Map.copyOf(relays);
        this.mxPort = mxPort;
        if (dnsServers.isEmpty()) {
            this.resolver = null;
            this.dnsCache = null;
        } else {
            List<Resolver> servers = new ArrayList<>();
            for (String s : dnsServers) {
                InetSocketAddress a = hostPort(s, 53);
                try {
                    servers.add(new SimpleResolver(new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort())));
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("mta.dns.servers: '" + s + "' is not a name server address");
                }
            }
            this.resolver = servers.size() == 1 ? servers.get(0) : new ExtendedResolver(servers);
            this.resolver.setTimeout(Duration.ofSeconds(5));
            this.dnsCache = new Cache(DClass.IN);
        }
    }

    public Site route(String domain) throws NoRoute, TryAgain {
        String d = domain.toLowerCase(Locale.ROOT);
        Known known = cache.get(d);
        if (known != null && known.until() > System.nanoTime()) {
            return known.site();
        }
        String relay = relays.getOrDefault(d, relays.get("*"));
        Site site;
        long until;
        if (relay != null) {
            // user:password@host:port — an external relay that wants a login (SendGrid, SES, Mailgun…)
            int at = relay.lastIndexOf('@');
            Credentials login = null;
            String hostPort = relay;
            if (at > 0) {
                String user = relay.substring(0, at);
                int colon = user.indexOf(':');
                login = colon < 0 ? new Credentials(URLDecoder.decode(user, StandardCharsets.UTF_8), "")
                        : new Credentials(URLDecoder.decode(user.substring(0, colon), StandardCharsets.UTF_8),
                                URLDecoder.decode(user.substring(colon + 1), StandardCharsets.UTF_8));
                hostPort = relay.substring(at + 1);
            }
            site = new Site("relay:" + hostPort, List.of(hostPort(hostPort, 25)), login);
            until = Long.MAX_VALUE;
        } else {
            site = mx(d);
            until = System.nanoTime() + KEEP.toNanos();
        }
        cache.put(d, new Known(site, until));
        return site;
    }

    private Site mx(String domain) throws NoRoute, TryAgain {
        Lookup lookup = lookup(domain, Type.MX);
        Record[] records = lookup.run();
        if (lookup.getResult() == Lookup.TRY_AGAIN) {
            throw new TryAgain("MX lookup for " + domain + ": " + lookup.getErrorString());
        }
        if (lookup.getResult() == Lookup.HOST_NOT_FOUND) {
            throw new NoRoute(domain + " does not exist (NXDOMAIN)");
        }
        List<MXRecord> mx = new ArrayList<>();
        if (records != null) {
            for (Record r : records) {
                mx.add((MXRecord) r);
            }
        }
        mx.sort(Comparator.comparingInt(MXRecord::getPriority).thenComparing(r -> r.getTarget().toString()));
        if (mx.size() == 1 && mx.get(0).getTarget().toString().equals(".")) {
            throw new NoRoute(domain + " accepts no mail (null MX)");
        }
        List<String> names = new ArrayList<>();
        List<InetSocketAddress> hosts = new ArrayList<>();
        boolean unsure = false;
        for (MXRecord r : mx) {
            String host = r.getTarget().toString(true);
            names.add(host);
            try {
                addresses(host).forEach(a -> hosts.add(new InetSocketAddress(a, mxPort)));
            } catch (TryAgain e) {
                unsure = true;
            }
        }
        if (mx.isEmpty()) {
            names.add(domain);
            addresses(domain).forEach(a -> hosts.add(new InetSocketAddress(a, mxPort)));
        }
        if (hosts.isEmpty()) {
            if (unsure) {
                throw new TryAgain("no address of " + domain + "'s MX hosts could be looked up");
            }
            throw new NoRoute(domain + (mx.isEmpty() ? " has no MX and no address" : "'s MX hosts have no address"));
        }
        return new Site("mx:" + String.join(",", names.stream().sorted().toList()), List.copyOf(hosts));
    }

    /** A host's IPv4 then IPv6 addresses; empty when it has none. */
    private List<InetAddress> addresses(String host) throws NoRoute, TryAgain {
        List<InetAddress> out = new ArrayList<>();
        boolean tryAgain = false;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(host, type);
            Record[] records = lookup.run();
            if (lookup.getResult() == Lookup.TRY_AGAIN) {
                tryAgain = true;
            }
            if (records != null) {
                for (Record r : records) {
                    out.add(r instanceof ARecord a ? a.getAddress() : ((AAAARecord) r).getAddress());
                }
            }
        }
        if (out.isEmpty() && tryAgain) {
            throw new TryAgain("address lookup for " + host + " failed");
        }
        return out;
    }

    private Lookup lookup(String name, int type) throws NoRoute {
        Lookup l;
        try {
            l = new Lookup(Name.fromString(name, Name.root), type);
        } catch (TextParseException e) {
            throw new NoRoute("'" + name + "' is not a domain name");
        }
        if (resolver != null) {
            l.setResolver(resolver);
            l.setCache(dnsCache);
        }
        return l;
    }

    private static InetSocketAddress hostPort(String hostPort, int defaultPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.indexOf(':') != colon) {
            return InetSocketAddress.createUnresolved(hostPort, defaultPort);
        }
        return InetSocketAddress.createUnresolved(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
