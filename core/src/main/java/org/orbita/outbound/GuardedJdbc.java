package org.orbita.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import javax.net.SocketFactory;
import org.orbita.common.FieldError;

/**
 * Connections to databases whose URL a user typed (template data sources, SQL imports,
 * segment syncs), kept off this machine and private networks as {@link NetworkGuard} says.
 *
 * <p>A URL names PostgreSQL, MariaDB or MySQL; every host of a multi-host list is checked,
 * and so is the address each socket actually connects to (the drivers are given a socket
 * factory of ours), so a name that resolves elsewhere at connect time gains nothing. URL
 * parameters are limited to a list that loads no class and reads no file: PostgreSQL's
 * {@code socketFactory}, {@code sslfactory}, {@code loggerFile} or {@code sslrootcert},
 * MariaDB's {@code allowLoadLocalInfile} and the like are refused by name.
 */
public final class GuardedJdbc {

    public static final List<String> URL_PREFIXES = List.of("jdbc:postgresql://", "jdbc:mariadb://", "jdbc:mysql://");

    /** URL parameters a user may set (compared without case); everything else is refused. */
    static final Set<String> ALLOWED_PARAMETERS = Set.of(
            "user", "password", "ssl", "sslmode", "usessl", "currentschema", "applicationname", "connecttimeout",
            "sockettimeout", "logintimeout", "tcpkeepalive", "readonly", "targetservertype", "loadbalancehosts",
            "preparethreshold", "defaultrowfetchsize", "stringtype", "options", "gssencmode", "servertimezone",
            "characterencoding", "useunicode", "zerodatetimebehavior", "connectiontimezone", "tinyint1isbit",
            "useserverprepstmts", "allowpublickeyretrieval", "database");

    private static final ThreadLocal<NetworkGuard> CONNECTING = new ThreadLocal<>();

    private final NetworkGuard guard;

    public GuardedJdbc(NetworkGuard guard) {
        this.guard = guard;
    }

    /** What is wrong with a URL as typed (empty when it may be used); {@code field} names it in the errors. */
    public static List<FieldError> problems(String field, String url) {
        List<FieldError> errors = new ArrayList<>();
        if (url == null || URL_PREFIXES.stream().noneMatch(url::startsWith)) {
            errors.add(FieldError.of(field, url, "must start with one of " + URL_PREFIXES));
            return errors;
        }
        try {
            hosts(url);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of(field, url, e.getMessage()));
        }
        for (String parameter : parameters(url)) {
            if (!ALLOWED_PARAMETERS.contains(parameter.toLowerCase(Locale.ROOT))) {
                errors.add(FieldError.of(field, url, "the parameter '" + parameter + "' is not allowed (it may load classes, read files"
                        + " or reach other hosts); allowed: user, password, ssl, sslmode, currentSchema, ApplicationName, timeouts and the like"));
            }
        }
        return errors;
    }

    /**
     * Checks every host of the URL against the guard; the same check runs again on each
     * address the driver connects to.
     *
     * @throws SecurityException naming a host that is loopback or private
     * @throws UnknownHostException when a host does not resolve
     * @throws IllegalArgumentException when the URL may not be used at all
     */
    public void checkHosts(String url) throws UnknownHostException {
        List<FieldError> problems = problems("url", url);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).rule());
        }
        for (String host : hosts(url)) {
            guard.check(host);
        }
    }

    /** Why the URL's hosts may not be reached, as a field error, or empty (checked when a source is saved). */
    public Optional<FieldError> refusal(String field, String url) {
        try {
            checkHosts(url);
            return Optional.empty();
        } catch (SecurityException | IllegalArgumentException e) {
            return Optional.of(FieldError.of(field, url, e.getMessage()));
        } catch (UnknownHostException e) {
            return Optional.of(FieldError.of(field, url, "names a host that does not resolve: " + e.getMessage()));
        }
    }

    /**
     * Opens a connection through the guard.
     *
     * @throws SecurityException naming a host or address that may not be reached
     */
    public Connection open(String url, Properties properties) throws SQLException, UnknownHostException {
        checkHosts(url);
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("socketFactory", GuardedSocketFactory.class.getName());
        NetworkGuard before = CONNECTING.get();
        CONNECTING.set(guard);
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            SecurityException refused = refusal(e);
            if (refused != null) {
                throw refused;
            }
            throw e;
        } finally {
            if (before == null) {
                CONNECTING.remove();
            } else {
                CONNECTING.set(before);
            }
        }
    }

    private static SecurityException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedSocket.Refused refused) {
                return new SecurityException(refused.getMessage());
            }
        }
        return null;
    }

    /** The hosts of the URL's authority, each as written (IPv6 without brackets). */
    static List<String> hosts(String url) {
        String rest = url.substring(url.indexOf("//") + 2);
        int end = 0;
        while (end < rest.length() && rest.charAt(end) != '/' && rest.charAt(end) != '?') {
            end++;
        }
        String authority = rest.substring(0, end);
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("must name a host (an empty host means this machine)");
        }
        List<String> hosts = new ArrayList<>();
        for (String entry : authority.split(",", -1)) {
            String host;
            String port;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("has an IPv6 host without its closing bracket");
                }
                host = entry.substring(1, close);
                port = entry.substring(close + 1);
                if (!host.matches("[0-9A-Fa-f:.]+")) {
                    throw new IllegalArgumentException("has a bracketed host that is not an IPv6 address");
                }
            } else {
                int colon = entry.indexOf(':');
                host = colon < 0 ? entry : entry.substring(0, colon);
                port = colon < 0 ? "" : entry.substring(colon);
                if (!host.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                    throw new IllegalArgumentException("hosts must be names or addresses, host[:port] separated by commas; got '" + entry + "'");
                }
            }
            if (!port.isEmpty() && !port.matches(":[0-9]{1,5}")) {
                throw new IllegalArgumentException("has a port that is not a number in '" + entry + "'");
            }
            hosts.add(host);
        }
        return hosts;
    }

    /** The names of the URL's query parameters. */
    static List<String> parameters(String url) {
        int q = url.indexOf('?');
        List<String> names = new ArrayList<>();
        if (q < 0) {
            return names;
        }
        for (String pair : url.substring(q + 1).split("[&;]")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                names.add(eq < 0 ? pair : pair.substring(0, eq));
            }
        }
        return names;
    }

    /**
     * The sockets the drivers open for us: each checks the address it is about to connect to.
     * Public with a no-argument constructor, as the drivers instantiate it by name.
     */
    public static final class GuardedSocketFactory extends SocketFactory {

        public GuardedSocketFactory() {
            // instantiated by the drivers
        }

        /** PostgreSQL's driver passes its connection properties. */
        public GuardedSocketFactory(Properties ignored) {
            // the guard travels with the connecting thread
        }

        @Override
        public Socket createSocket() {
            NetworkGuard guard = CONNECTING.get();
            if (guard == null) {
                throw new SecurityException("a guarded connection is opened only through GuardedJdbc");
            }
            return new GuardedSocket(guard);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }
    }

    /** A socket that checks the address it connects to. */
    private static final class GuardedSocket extends Socket {
        private final NetworkGuard guard;

        GuardedSocket(NetworkGuard guard) {
            this.guard = guard;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (endpoint instanceof InetSocketAddress inet) {
                InetAddress address = inet.getAddress();
                if (address == null) {
                    throw new UnknownHostException(inet.getHostString());
                }
                try {
                    guard.checkAddress(inet.getHostString(), address);
                } catch (SecurityException e) {
                    throw new Refused(e.getMessage());
                }
            }
            super.connect(endpoint, timeout);
        }

        /** The connection was refused by the guard, not by the network. */
        static final class Refused extends IOException {
            Refused(String message) {
                super(message);
            }
        }
    }
}
