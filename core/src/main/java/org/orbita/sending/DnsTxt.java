package org.orbita.sending;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * TXT records by name, through the JDK's DNS client: the name servers given ({@code host} or
 * {@code host:port}), else the system's. Each record's character-strings are joined as RFC 7208
 * and RFC 6376 read them (a DKIM key is longer than one string).
 */
public final class DnsTxt {

    /** The name servers did not answer (a time-out, a refusal): nothing can be said of the name. */
    public static final class Unanswered extends RuntimeException {
        Unanswered(String name, NamingException cause) {
            super("no answer from DNS for " + name + ": " + cause.getMessage(), cause);
        }
    }

    private final String providerUrl;

    /** @param servers name servers as {@code host} or {@code host:port}; empty for the system's */
    public DnsTxt(List<String> servers) {
        this.providerUrl = servers == null || servers.isEmpty() ? "dns:" : String.join(" ", servers.stream().map(s -> "dns://" + s.strip()).toList());
    }

    /** The TXT records at {@code name}; empty when the name or its TXT records do not exist. */
    public List<String> lookup(String name) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", providerUrl);
        env.put("com.sun.jndi.dns.timeout.initial", "2000");
        env.put("com.sun.jndi.dns.timeout.retries", "2");
        String fqdn = name.toLowerCase(Locale.ROOT).endsWith(".") ? name : name + ".";
        DirContext ctx = null;
        try {
            ctx = new InitialDirContext(env);
            Attribute txt = ctx.getAttributes(fqdn, new String[] {"TXT"}).get("TXT");
            List<String> out = new ArrayList<>();
            if (txt != null) {
                NamingEnumeration<?> all = txt.getAll();
                while (all.hasMore()) {
                    out.add(joined(String.valueOf(all.next())));
                }
            }
            return out;
        } catch (NameNotFoundException e) {
            return List.of();
        } catch (NamingException e) {
            throw new Unanswered(name, e);
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    // a closed context holds nothing
                }
            }
        }
    }

    /**
     * One record as the JDK gives it: its strings separated by spaces, each in quotes when it
     * holds a space or a quote. The strings are joined with nothing between them.
     */
    static String joined(String record) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < record.length()) {
            char c = record.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                i++;
                while (i < record.length() && record.charAt(i) != '"') {
                    if (record.charAt(i) == '\\' && i + 1 < record.length()) {
                        i++;
                    }
                    out.append(record.charAt(i++));
                }
                i++;
            } else {
                int end = record.indexOf(' ', i);
                end = end < 0 ? record.length() : end;
                out.append(record, i, end);
                i = end;
            }
        }
        return out.toString();
    }
}
