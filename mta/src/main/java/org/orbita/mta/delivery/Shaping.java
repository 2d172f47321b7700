package org.orbita.mta.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orbita.mta.config.MtaConfig;

/**
 * Delivery policy as one readable file (TOML, after KumoMTA's shaping.toml): {@code [default]}
 * limits, {@code [[destination]]} blocks that refine them for receiving systems matched by
 * domain ({@code gmail.com}, {@code *.yandex.ru}) or MX host ({@code mx:*.google.com}), and
 * {@code [[response]]} rules that act on replies ({@code suspend} a site for a while, treat a
 * reply as temporary ({@code defer}) or permanent ({@code bounce})). The first matching
 * destination wins.
 *
 * <pre>
 * [default]
 * max_connections = 32
 * messages_per_connection = 100
 * rate = "0"                 # messages per time unit: "600/m", "10/s", "50000/h"; 0 = no limit
 * retry_base = "1m"
 * retry_max = "1h"
 * max_age = "3d"
 * tls = "opportunistic"      # or "required", "disabled"
 * # pool = "marketing"       # send only from the source addresses in this pool
 *
 * [[destination]]
 * match = ["gmail.com", "googlemail.com", "mx:*.google.com"]
 * max_connections = 20
 * rate = "600/m"
 *
 * [[response]]
 * match = "(?i)^421 .*(rate|too many)"
 * action = "suspend"
 * for = "10m"
 * </pre>
 */
public final class Shaping {

    /**
     * What applies to one receiving site. {@code ratePerSecond} 0 means no limit; {@code pool}
     * names the source addresses to send from ({@code mta.source.<address>.pool}; null: any).
     */
    public record Limits(int maxConnections, int messagesPerConnection, double ratePerSecond, Duration retryBase, Duration retryMax,
                         Duration maxAge, SmtpClient.Tls tls, String pool) {}

    /** What to do when a reply matches. */
    public record ResponseRule(Pattern match, String action, Duration duration) {}

    private record Destination(List<String> matches, Map<String, Object> overrides) {}

    private final Limits defaults;
    private final List<Destination> destinations;
    private final List<ResponseRule> responses;
    private final int nodes;

    private Shaping(Limits defaults, List<Destination> destinations, List<ResponseRule> responses, int nodes) {
        this.defaults = defaults;
        this.destinations = destinations;
        this.responses = responses;
        this.nodes = nodes;
    }

    /**
     * The same rules for one of {@code nodes} nodes sending to the same destinations: each
     * takes its share of every site's connections (rounded up) and rate, so the limits hold
     * for the cluster as a whole without the nodes talking to each other.
     */
    public Shaping sharedBy(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("mta.cluster.nodes: a whole number of at least 1");
        }
        return new Shaping(defaults, destinations, responses, nodes);
    }

    private Limits share(Limits l) {
        if (nodes == 1) {
            return l;
        }
        return new Limits((l.maxConnections() + nodes - 1) / nodes, l.messagesPerConnection(), l.ratePerSecond() / nodes, l.retryBase(),
                l.retryMax(), l.maxAge(), l.tls(), l.pool());
    }

    /** Rules with only the given defaults (no file). */
    public static Shaping of(Limits defaults) {
        return new Shaping(defaults, List.of(), List.of(), 1);
    }

    /**
     * Reads a rules file over the node's defaults.
     *
     * @throws IllegalArgumentException naming the entry and the rule it breaks
     */
    @SuppressWarnings("unchecked")
    public static Shaping read(Path file, Limits base) throws IOException {
        Map<String, Object> tree;
        try {
            tree = new TomlMapper().readValue(file.toFile(), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file.getFileName() + ": not TOML: " + e.getOriginalMessage());
        }
        Limits defaults = apply(base, (Map<String, Object>) tree.getOrDefault("default", Map.of()), "default");
        List<Destination> destinations = new ArrayList<>();
        List<Map<String, Object>> ds = (List<Map<String, Object>>) tree.getOrDefault("destination", List.of());
        for (int i = 0; i < ds.size(); i++) {
            Map<String, Object> d = ds.get(i);
            Object match = d.get("match");
            List<String> matches = match instanceof List<?> l ? l.stream().map(String::valueOf).toList() : match == null ? List.of() : List.of(String.valueOf(match));
            if (matches.isEmpty()) {
                throw new IllegalArgumentException("destination[" + i + "].match: give a domain, \"*.domain\" or \"mx:pattern\"");
            }
            apply(defaults, d, "destination[" + i + "]"); // checked now, applied per site
            destinations.add(new Destination(matches.stream().map(m -> m.toLowerCase(Locale.ROOT)).toList(), d));
        }
        List<ResponseRule> responses = new ArrayList<>();
        List<Map<String, Object>> rs = (List<Map<String, Object>>) tree.getOrDefault("response", List.of());
        for (int i = 0; i < rs.size(); i++) {
            Map<String, Object> r = rs.get(i);
            String where = "response[" + i + "]";
            Pattern p;
            try {
                p = Pattern.compile(String.valueOf(r.getOrDefault("match", "")));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ".match: not a regular expression: " + e.getDescription());
            }
            String action = String.valueOf(r.getOrDefault("action", ""));
            if (!List.of("suspend", "defer", "bounce").contains(action)) {
                throw new IllegalArgumentException(where + ".action: one of suspend, defer, bounce");
            }
            Duration d = action.equals("suspend") ? duration(r.getOrDefault("for", "10m"), where + ".for") : Duration.ZERO;
            responses.add(new ResponseRule(p, action, d));
        }
        return new Shaping(defaults, List.copyOf(destinations), List.copyOf(responses), 1);
    }

    /** The limits for a site: the first destination matching one of its domains or MX hosts refines the defaults. */
    public Limits limits(String site, Collection<String> domains) {
        for (Destination d : destinations) {
            for (String m : d.matches()) {
                if (matches(m, site, domains)) {
                    return share(apply(defaults, d.overrides(), "destination"));
                }
            }
        }
        return share(defaults);
    }

    /** Every source pool the rules name, with where (to check against the node's addresses). */
    public Map<String, String> pools() {
        Map<String, String> out = new LinkedHashMap<>();
        if (defaults.pool() != null) {
            out.put(defaults.pool(), "default.pool");
        }
        for (int i = 0; i < destinations.size(); i++) {
            Object p = destinations.get(i).overrides().get("pool");
            if (p != null) {
                out.putIfAbsent(String.valueOf(p).strip(), "destination[" + i + "].pool");
            }
        }
        return out;
    }

    /** The first response rule a reply matches ("421 4.7.0 text" is what the pattern sees). */
    public Optional<ResponseRule> response(Reply reply) {
        String text = reply.toString();
        return responses.stream().filter(r -> r.match().matcher(text).find()).findFirst();
    }

    private static boolean matches(String pattern, String site, Collection<String> domains) {
        if (pattern.startsWith("mx:")) {
            if (!site.startsWith("mx:")) {
                return false;
            }
            for (String host : site.substring(3).split(",")) {
                if (glob(pattern.substring(3), host)) {
                    return true;
                }
            }
            return false;
        }
        return domains.stream().anyMatch(d -> glob(pattern, d));
    }

    private static boolean glob(String pattern, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        return pattern.startsWith("*.") ? v.endsWith(pattern.substring(1)) || v.equals(pattern.substring(2)) : v.equals(pattern);
    }

    private static Limits apply(Limits base, Map<String, Object> m, String where) {
        int connections = whole(m.get("max_connections"), base.maxConnections(), where + ".max_connections");
        int perConnection = whole(m.get("messages_per_connection"), base.messagesPerConnection(), where + ".messages_per_connection");
        double rate = m.containsKey("rate") ? rate(String.valueOf(m.get("rate")), where + ".rate") : base.ratePerSecond();
        Duration retryBase = m.containsKey("retry_base") ? duration(m.get("retry_base"), where + ".retry_base") : base.retryBase();
        Duration retryMax = m.containsKey("retry_max") ? duration(m.get("retry_max"), where + ".retry_max") : base.retryMax();
        Duration maxAge = m.containsKey("max_age") ? duration(m.get("max_age"), where + ".max_age") : base.maxAge();
        SmtpClient.Tls tls = base.tls();
        if (m.containsKey("tls")) {
            try {
                tls = SmtpClient.Tls.valueOf(String.valueOf(m.get("tls")).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".tls: one of opportunistic, required, disabled");
            }
        }
        String pool = m.containsKey("pool") ? String.valueOf(m.get("pool")).strip() : base.pool();
        if (pool != null && pool.isEmpty()) {
            throw new IllegalArgumentException(where + ".pool: the name of a pool of source addresses (mta.source.<address>.pool)");
        }
        return new Limits(connections, perConnection, rate, retryBase, retryMax, maxAge, tls, pool);
    }

    private static int whole(Object v, int fallback, String where) {
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.intValue() < 1) {
            throw new IllegalArgumentException(where + ": a whole number of at least 1");
        }
        return n.intValue();
    }

    /** "600/m", "10/s", "50000/h", "1000/d" or "0". */
    static double rate(String v, String where) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return 0;
        }
        int slash = s.indexOf('/');
        try {
            double n = Double.parseDouble(slash < 0 ? s : s.substring(0, slash));
            String unit = slash < 0 ? "s" : s.substring(slash + 1);
            double seconds = switch (unit) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86400;
                default -> throw new NumberFormatException();
            };
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n / seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": a rate such as \"600/m\", \"10/s\" or \"0\" for none, got \"" + v + "\"");
        }
    }

    static Duration duration(Object v, String where) {
        return MtaConfig.duration(String.valueOf(v), where);
    }
}
