package org.orbita.app.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.orbita.common.Ids;
import org.orbita.settings.Documents;
import org.orbita.settings.SettingsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of sign-in attempts that did not let someone in (a wrong password, a refused
 * attempt while throttled or locked, a form without its token) and of lockouts, kept in the
 * settings store (the newest {@value #KEPT}) and logged.
 */
public final class SignInAudit {

    static final int KEPT = 10_000;
    private static final Logger log = LoggerFactory.getLogger(SignInAudit.class);

    private final Documents<Entry> entries;
    private final Clock clock;
    private final AtomicInteger sincePrune = new AtomicInteger();

    public SignInAudit(SettingsStore settings, Clock clock) {
        this.entries = new Documents<>(settings, "sign_in_audit", Entry.class, Entry::id);
        this.clock = clock;
    }

    /** What happened: {@code failed} (wrong email or password), {@code throttled}, {@code locked}, {@code lockout}, {@code no-token}. */
    public record Entry(String id, Instant at, String email, String address, String outcome) {}

    public void record(String email, String address, String outcome) {
        Entry e = entries.put(new Entry(Ids.next(), clock.instant(), email, address, outcome));
        log.warn("Sign-in {} for '{}' from {}", outcome, e.email(), e.address());
        if (sincePrune.incrementAndGet() >= 500) {
            sincePrune.set(0);
            List<Entry> all = newest(Integer.MAX_VALUE);
            all.stream().skip(KEPT).forEach(old -> entries.delete(old.id()));
        }
    }

    /** The newest entries first. */
    public List<Entry> newest(int limit) {
        return entries.list().stream().sorted(Comparator.comparing(Entry::id).reversed()).limit(limit).toList();
    }
}
