package org.orbita.mta.delivery;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where mail for a domain goes: a configured relay (per domain, or {@code *} for a smart host)
 * or the domain's MX hosts by preference (dnsjava's caching resolver), falling back to the
 * domain itself (its A/AAAA) when it has no MX. Domains whose hosts are the same set share one
 * site, so limits apply per receiving system (all of Google's domains, say), as large senders do.
 */
public final class Router {

    /** A receiving system: its hosts in the order to try, named by that set. */
    public record Site(String name, List<InetSocketAddress> hosts) {}

    /** A domain that cannot receive mail (no MX and no address, or a null MX, RFC 7505). */
    public static final class NoRoute extends Exception {
        NoRoute(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, String> relays;
    private final Map<String, Site> cache = new ConcurrentHashMap<>();

    /** @param relays domain → {@code host:port}; {@code *} routes every other domain */
    public Router(Map<String, String> relays) {
        this.relays = Map.copyOf(relays);
    }

    public Site route(String domain) throws NoRoute {
        String d = domain.toLowerCase(Locale.ROOT);
        Site known = cache.get(d);
        if (known != null) {
            return known;
        }
        String relay = relays.getOrDefault(d, relays.get("*"));
        Site site;
        if (relay != null) {
            site = new Site("relay:" + relay, List.of(hostPort(relay)));
        } else {
            site = mx(d);
        }
        cache.put(d, site);
        return site;
    }

    private static Site mx(String domain) throws NoRoute {
        Record[] records;
        try {
            records = new Lookup(domain, Type.MX).run();
        } catch (TextParseException e) {
            throw new NoRoute("'" + domain + "' is not a domain name");
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
        List<InetSocketAddress> hosts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MXRecord r : mx) {
            String host = r.getTarget().toString(true);
            names.add(host);
            hosts.add(InetSocketAddress.createUnresolved(host, 25));
        }
        if (hosts.isEmpty()) {
            try {
                if (new Lookup(domain, Type.A).run() == null && new Lookup(domain, Type.AAAA).run() == null) {
                    throw new NoRoute(domain + " has no MX and no address");
                }
            } catch (TextParseException e) {
                throw new NoRoute("'" + domain + "' is not a domain name");
            }
            hosts.add(InetSocketAddress.createUnresolved(domain, 25));
            names.add(domain);
        }
        return new Site("mx:" + String.join(",", names.stream().sorted().toList()), List.copyOf(hosts));
    }

    private static InetSocketAddress hostPort(String relay) {
        int colon = relay.lastIndexOf(':');
        if (colon < 0) {
            return InetSocketAddress.createUnresolved(relay, 25);
        }
        return InetSocketAddress.createUnresolved(relay.substring(0, colon), Integer.parseInt(relay.substring(colon + 1)));
    }
}
