package org.orbita.app.security;

import java.util.List;
import org.orbita.access.Actor;
import org.orbita.audit.AuditEntry;
import org.orbita.audit.AuditLog;
import org.orbita.audit.AuditQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-ins in the audit log (action {@code sign-in}): each attempt with the email typed, the
 * address, the user agent and the outcome — {@code ok}, {@code second-factor}, {@code failed}
 * (wrong email or password), {@code second-factor-failed}, {@code throttled}, {@code locked},
 * {@code lockout}, {@code no-token} (a form without its page's token). A known user's line goes to
 * their first workspace's log; an unknown email's to the platform's. Failures are logged too.
 */
public final class SignInAudit {

    public static final String ACTION = "sign-in";
    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);

    private final AuditLog audit;
    private final Accounts accounts;

    public SignInAudit(AuditLog audit, Accounts accounts) {
        this.audit = audit;
        this.accounts = accounts;
    }

    public void record(String email, String address, String outcome) {
        String typed = email == null ? "" : email.strip();
        if (typed.length() > 254) {
            typed = typed.substring(0, 254);
        }
        String name = typed;
        String agent = SecurityAccess.requestAgent();
        accounts.findUser(typed).ifPresentOrElse(
                user -> audit.record(new AuditLog.Who(user.roles().keySet().stream().sorted().findFirst().orElse(null), Actor.Kind.USER.name(),
                        user.id(), user.email(), address, agent), ACTION, "users", user.id(), outcome, null, null, null),
                () -> audit.record(new AuditLog.Who(null, Actor.Kind.USER.name(), null, name, address, agent),
                        ACTION, "users", null, outcome, null, null, null));
        if (!"ok".equals(outcome) && !"second-factor".equals(outcome)) {
            log.warn("Sign-in {} for '{}' from {}", outcome, name, address);
        }
    }

    /** The newest sign-in lines the one asking may read (their workspace's, or every one for the platform). */
    public List<AuditEntry> newest(int limit) {
        return audit.find(new AuditQuery(null, null, null, null, ACTION, null, null, null, 0), limit);
    }

    /** The signed-in user's own sign-ins, newest first: their account page shows them without the audit log's permission. */
    public List<AuditEntry> mine(int limit) {
        return audit.own(ACTION, limit);
    }
}
