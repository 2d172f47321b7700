package org.orbita.app.security;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A user's signed-in sessions (browsers), from Spring Security's session registry: listed on
 * their account page, and ended everywhere but here on request — an ended session's next request
 * is sent to the sign-in page.
 */
public final class Sessions {

    /** One signed-in browser: its session (shortened, never the whole id), when it was last used, and whether it is this one. */
    public record Session(String id, java.time.Instant lastRequest, boolean current) {}

    private final SessionRegistry registry;

    public Sessions(SessionRegistry registry) {
        this.registry = registry;
    }

    private List<SessionInformation> of(String email) {
        List<SessionInformation> out = new ArrayList<>();
        for (Object p : registry.getAllPrincipals()) {
            String name = p instanceof UserDetails u ? u.getUsername() : p instanceof Principal named ? named.getName() : String.valueOf(p);
            if (name.equalsIgnoreCase(email)) {
                out.addAll(registry.getAllSessions(p, false));
            }
        }
        return out;
    }

    public List<Session> list(String email, String currentSessionId) {
        return of(email).stream().sorted(Comparator.comparing(SessionInformation::getLastRequest).reversed())
                .map(s -> new Session(s.getSessionId().substring(0, Math.min(6, s.getSessionId().length())), s.getLastRequest().toInstant(),
                        s.getSessionId().equals(currentSessionId)))
                .toList();
    }

    /** Ends every session of the user but {@code currentSessionId}; how many. */
    public int endOthers(String email, String currentSessionId) {
        int ended = 0;
        for (SessionInformation s : of(email)) {
            if (!s.getSessionId().equals(currentSessionId)) {
                s.expireNow();
                ended++;
            }
        }
        return ended;
    }
}
