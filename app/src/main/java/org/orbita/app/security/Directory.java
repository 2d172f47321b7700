package org.orbita.app.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.AuthenticationException;
import javax.naming.CommunicationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.ServiceUnavailableException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import org.orbita.access.Access;
import org.orbita.access.Action;
import org.orbita.access.Resource;
import org.orbita.common.FieldError;
import org.orbita.common.InvalidInputException;
import org.orbita.groups.Groups;
import org.orbita.outbound.NetworkGuard;
import org.orbita.roles.Roles;
import org.orbita.settings.CachedDocuments;
import org.orbita.settings.SettingsStore;

/**
 * Directory sign-in (X4): a workspace's LDAP or Active Directory. A sign-in binds with the
 * service account, searches the user by the filter (the name typed escaped, RFC 4515: no LDAP
 * injection), binds as the entry found with the password typed, and reads its groups: the
 * directory groups mapped to an Orbita role and groups give the member's role and groups in the
 * workspace, set again at every sign-in. Hosts are tried in order (a backup host after the
 * first); each has its share of a 5-second budget, so a directory that is down or slow answers
 * with a clear error in 5 seconds, and local accounts still sign in. Connections go through the
 * platform's {@link NetworkGuard}, like every user-configured address. The bind password is
 * write-only.
 */
public class Directory {

    /** The whole time a sign-in may wait on the directory, over every host: the answer comes within 5 seconds. */
    static final Duration BUDGET = Duration.ofMillis(4500);

    /** A workspace's directory. {@code bindPassword} is never shown; {@code roleOfGroup} maps directory group DNs to role ids, in order. */
    public record Settings(String workspaceId, boolean enabled, List<String> urls, boolean startTls, String bindDn, String bindPassword,
                           String userBase, String userFilter, String emailAttribute, String nameAttribute, String groupAttribute,
                           Map<String, String> roleOfGroup, Map<String, List<String>> groupsOfGroup, String defaultRole, Instant updated) {
        public Settings {
            urls = urls == null ? List.of() : List.copyOf(urls);
            roleOfGroup = roleOfGroup == null ? Map.of() : new LinkedHashMap<>(roleOfGroup);
            groupsOfGroup = groupsOfGroup == null ? Map.of() : new LinkedHashMap<>(groupsOfGroup);
            userFilter = userFilter == null || userFilter.isBlank() ? "(|(uid={0})(mail={0})(sAMAccountName={0}))" : userFilter.strip();
            emailAttribute = blank(emailAttribute, "mail");
            nameAttribute = blank(nameAttribute, "cn");
            groupAttribute = blank(groupAttribute, "memberOf");
        }

        private static String blank(String v, String fallback) {
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        OutsideMapping mapping() {
            return new OutsideMapping(roleOfGroup, groupsOfGroup, defaultRole);
        }

        /** What is shown: everything but the bind password, which is only said to be set. */
        public Shown shown() {
            return new Shown(workspaceId, enabled, urls, startTls, bindDn, bindPassword != null && !bindPassword.isEmpty(), userBase, userFilter,
                    emailAttribute, nameAttribute, groupAttribute, roleOfGroup, groupsOfGroup, defaultRole, updated);
        }
    }

    public record Shown(String workspaceId, boolean enabled, List<String> urls, boolean startTls, String bindDn, boolean bindPasswordSet,
                        String userBase, String userFilter, String emailAttribute, String nameAttribute, String groupAttribute,
                        Map<String, String> roleOfGroup, Map<String, List<String>> groupsOfGroup, String defaultRole, Instant updated) {}

    /** Someone the directory let in: the workspace, their email and name, the role and groups their directory groups give. */
    public record Person(String workspaceId, String email, String name, String role, List<String> groups) {}

    /** The directory refused the name and password. */
    public static class Refused extends RuntimeException {
        Refused(String why) {
            super(why);
        }
    }

    /** No host of the directory answered in time (down, slow, or refused by the network guard). */
    public static class Unreachable extends RuntimeException {
        Unreachable(String why) {
            super(why);
        }
    }

    private final CachedDocuments<Settings> settings;
    private final Roles roles;
    private final Groups groups;
    private final NetworkGuard guard;
    private final Access access;
    private final Clock clock;

    public Directory(SettingsStore store, Roles roles, Groups groups, NetworkGuard guard, Access access, Clock clock) {
        this.settings = new CachedDocuments<>(store, "directories", Settings.class, Settings::workspaceId, Duration.ofSeconds(10), clock);
        this.roles = roles;
        this.groups = groups;
        this.guard = guard;
        this.access = access;
        this.clock = clock;
    }

    public Optional<Shown> get(String workspaceId) {
        access.require(Resource.SETTINGS, Action.READ);
        return settings.get(workspaceId).map(Settings::shown);
    }

    /** Saves a workspace's directory; a bind password left out keeps the one saved. Each bad value is named. */
    public Shown save(String workspaceId, Settings in) {
        access.require(Resource.SETTINGS, Action.WRITE);
        List<FieldError> errors = new ArrayList<>();
        if (in.urls().isEmpty()) {
            errors.add(FieldError.of("urls", "[]", "at least one: ldap://host:389 or ldaps://host:636, a backup host after it"));
        }
        for (int i = 0; i < in.urls().size(); i++) {
            String problem = urlProblem(in.urls().get(i));
            if (problem != null) {
                errors.add(FieldError.of("urls[" + i + "]", in.urls().get(i), problem));
            }
        }
        if (in.userBase() == null || in.userBase().isBlank()) {
            errors.add(FieldError.of("userBase", in.userBase(), "is required: where users are searched, such as ou=people,dc=example,dc=com"));
        }
        if (!in.userFilter().contains("{0}")) {
            errors.add(FieldError.of("userFilter", in.userFilter(), "must contain {0}, where the name typed goes (escaped)"));
        }
        in.mapping().check(workspaceId, roles, groups, "roleOfGroup", "groupsOfGroup", errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Optional<Settings> old = settings.get(workspaceId);
        String password = in.bindPassword() != null ? in.bindPassword() : old.map(Settings::bindPassword).orElse(null);
        Settings saved = settings.put(new Settings(workspaceId, in.enabled(), in.urls().stream().map(String::strip).toList(), in.startTls(),
                blankToNull(in.bindDn()), password, in.userBase().strip(), in.userFilter(), in.emailAttribute(), in.nameAttribute(),
                in.groupAttribute(), in.roleOfGroup(), in.groupsOfGroup(), blankToNull(in.defaultRole()), clock.instant()));
        return access.recorded(Resource.SETTINGS, Action.WRITE, old.map(Settings::shown).orElse(null), saved.shown());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String urlProblem(String url) {
        try {
            URI u = new URI(url == null ? "" : url.strip());
            if (u.getScheme() == null || !List.of("ldap", "ldaps").contains(u.getScheme().toLowerCase(Locale.ROOT)) || u.getHost() == null) {
                return "must be ldap://host[:port] or ldaps://host[:port]";
            }
            return null;
        } catch (URISyntaxException e) {
            return "must be ldap://host[:port] or ldaps://host[:port]";
        }
    }

    /** The directories a sign-in asks, in workspace order. */
    public List<Settings> enabled() {
        return settings.list().stream().filter(Settings::enabled).toList();
    }

    /**
     * Signs someone in against a directory: who they are and what they get, or why not.
     *
     * @throws Refused for a wrong name or password, or a person with no mapped group and no default role
     * @throws Unreachable when no host answered within the budget
     */
    public Person authenticate(Settings d, String name, String password) {
        if (name == null || name.isBlank() || name.length() > 254 || name.chars().anyMatch(Character::isISOControl)) {
            throw new Refused("no such user");
        }
        if (password == null || password.isEmpty()) {
            throw new Refused("an empty password is never sent to the directory (it would be an anonymous bind)");
        }
        Instant deadline = clock.instant().plus(BUDGET);
        List<String> problems = new ArrayList<>();
        for (int h = 0; h < d.urls().size(); h++) {
            String url = d.urls().get(h);
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                break;
            }
            long share = Math.max(200, left / (d.urls().size() - h));
            try {
                return authenticateAt(d, url, share, name.strip(), password);
            } catch (CommunicationException | ServiceUnavailableException e) {
                problems.add(url + ": " + describe(e));
            } catch (SecurityException | UnknownHostException e) {
                problems.add(url + ": " + e.getMessage());
            } catch (NamingException e) {
                if (e instanceof AuthenticationException) {
                    throw new Refused("the directory refused the name or password");
                }
                problems.add(url + ": " + describe(e));
            }
        }
        throw new Unreachable("the directory did not answer within " + BUDGET.toMillis() / 1000.0 + " s (" + String.join("; ", problems) + ")");
    }

    private static String describe(NamingException e) {
        Throwable root = e.getRootCause() != null ? e.getRootCause() : e;
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private Person authenticateAt(Settings d, String url, long timeoutMillis, String name, String password) throws NamingException, UnknownHostException {
        guard.check(URI.create(url).getHost());
        LdapContext service = connect(d, url, timeoutMillis, d.bindDn(), d.bindPassword());
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setCountLimit(2);
            controls.setTimeLimit((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            controls.setReturningAttributes(new String[] {d.emailAttribute(), d.nameAttribute(), d.groupAttribute()});
            String filter = d.userFilter().replace("{0}", escapeFilter(name));
            NamingEnumeration<SearchResult> found = service.search(d.userBase(), filter, controls);
            List<SearchResult> entries = new ArrayList<>();
            try {
                while (found.hasMore()) {
                    entries.add(found.next());
                }
            } catch (javax.naming.SizeLimitExceededException e) {
                throw new Refused("the name matches more than one person in the directory");
            }
            if (entries.isEmpty()) {
                throw new Refused("no such user in the directory");
            }
            if (entries.size() > 1) {
                throw new Refused("the name matches more than one person in the directory");
            }
            SearchResult entry = entries.get(0);
            // the password is checked by binding as the person found
            connect(d, url, timeoutMillis, entry.getNameInNamespace(), password).close();
            Attributes attributes = entry.getAttributes();
            String email = first(attributes.get(d.emailAttribute()));
            if (email == null || !email.contains("@")) {
                throw new Refused("the directory has no email (" + d.emailAttribute() + ") for this person");
            }
            Set<String> memberOf = new LinkedHashSet<>();
            Attribute groupValues = attributes.get(d.groupAttribute());
            if (groupValues != null) {
                NamingEnumeration<?> values = groupValues.getAll();
                while (values.hasMore()) {
                    memberOf.add(normalDn(String.valueOf(values.next())));
                }
            }
            String role = d.mapping().role(memberOf, Directory::normalDn)
                    .orElseThrow(() -> new Refused("none of this person's directory groups is given a role in Orbita"));
            String shownName = first(attributes.get(d.nameAttribute()));
            return new Person(d.workspaceId(), email.strip().toLowerCase(Locale.ROOT), shownName == null ? email : shownName, role,
                    d.mapping().groups(memberOf, Directory::normalDn));
        } finally {
            service.close();
        }
    }

    /** Checks the connection and the service account: nothing when they work; else why. */
    public String check(String workspaceId) {
        access.require(Resource.SETTINGS, Action.WRITE);
        Settings d = settings.get(workspaceId).orElseThrow(() -> new InvalidInputException("directory", null, "is not set up"));
        List<String> problems = new ArrayList<>();
        for (String url : d.urls()) {
            try {
                guard.check(URI.create(url).getHost());
                connect(d, url, BUDGET.toMillis() / d.urls().size(), d.bindDn(), d.bindPassword()).close();
                return null;
            } catch (NamingException e) {
                problems.add(url + ": " + (e instanceof AuthenticationException ? "the service account's DN or password is refused" : describe(e)));
            } catch (SecurityException | UnknownHostException e) {
                problems.add(url + ": " + e.getMessage());
            }
        }
        return String.join("; ", problems);
    }

    private static LdapContext connect(Settings d, String url, long timeoutMillis, String dn, String password) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, url);
        env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(timeoutMillis));
        env.put("com.sun.jndi.ldap.read.timeout", Long.toString(timeoutMillis));
        env.put(Context.REFERRAL, "ignore");
        env.put("java.naming.ldap.attributes.binary", "objectGUID");
        if (!d.startTls()) {
            env.put(Context.SECURITY_AUTHENTICATION, dn == null ? "none" : "simple");
            if (dn != null) {
                env.put(Context.SECURITY_PRINCIPAL, dn);
                env.put(Context.SECURITY_CREDENTIALS, password == null ? "" : password);
            }
            return new InitialLdapContext(env, null);
        }
        // StartTLS: the connection turns to TLS (certificates checked by the JVM's trust store) before any password goes over it
        LdapContext ctx = new InitialLdapContext(env, null);
        try {
            StartTlsResponse tls = (StartTlsResponse) ctx.extendedOperation(new StartTlsRequest());
            tls.negotiate();
            if (dn != null) {
                ctx.addToEnvironment(Context.SECURITY_AUTHENTICATION, "simple");
                ctx.addToEnvironment(Context.SECURITY_PRINCIPAL, dn);
                ctx.addToEnvironment(Context.SECURITY_CREDENTIALS, password == null ? "" : password);
                ctx.getAttributes("", new String[] {"1.1"}); // the bind happens now, over TLS, on the next operation
            }
            return ctx;
        } catch (java.io.IOException e) {
            ctx.close();
            CommunicationException failed = new CommunicationException("StartTLS failed: " + e.getMessage());
            failed.setRootCause(e);
            throw failed;
        }
    }

    private static String first(Attribute a) throws NamingException {
        return a == null || a.size() == 0 ? null : String.valueOf(a.get(0));
    }

    private static String normalDn(String dn) {
        return dn.replaceAll("\\s*,\\s*", ",").strip().toLowerCase(Locale.ROOT);
    }

    /** RFC 4515: the name typed is a value in the filter, never filter syntax. */
    static String escapeFilter(String value) {
        StringBuilder s = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> s.append("\\5c");
                case '*' -> s.append("\\2a");
                case '(' -> s.append("\\28");
                case ')' -> s.append("\\29");
                case '\u0000' -> s.append("\\00");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
