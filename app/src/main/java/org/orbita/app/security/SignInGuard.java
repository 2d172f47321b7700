package org.orbita.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.orbita.app.config.OrbitaProperties;

/**
 * Throttles sign-in per account and per address: a few free failures, then each attempt waits
 * a delay that doubles with every failure (up to a ceiling), and an account that keeps failing
 * is locked for a while. A success clears its account and address. Kept in memory: a restart
 * forgives, which only an administrator can cause.
 */
public final class SignInGuard {

    private final OrbitaProperties.SignIn policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    public SignInGuard(OrbitaProperties.SignIn policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Failures in a row of one account or address, the last one's time, and a lock's end. */
    private record Failures(int count, Instant last, Instant lockedUntil) {}

    /** Why an attempt is refused before its password is looked at: how long to wait, and whether it is a lockout. */
    public record Refusal(Duration remaining, boolean locked) {}

    private static String account(String email) {
        return "account:" + (email == null ? "" : email.strip().toLowerCase(Locale.ROOT));
    }

    private static String address(String ip) {
        return "address:" + (ip == null ? "" : ip);
    }

    /** Whether an attempt for this account from this address must wait, and how long. */
    public Optional<Refusal> refusal(String email, String ip) {
        Instant now = clock.instant();
        Optional<Refusal> byAccount = refusal(failures.get(account(email)), now);
        Optional<Refusal> byAddress = refusal(failures.get(address(ip)), now);
        if (byAccount.isEmpty()) {
            return byAddress;
        }
        if (byAddress.isEmpty()) {
            return byAccount;
        }
        return byAccount.get().remaining().compareTo(byAddress.get().remaining()) >= 0 ? byAccount : byAddress;
    }

    private Optional<Refusal> refusal(Failures f, Instant now) {
        if (f == null) {
            return Optional.empty();
        }
        if (f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
            return Optional.of(new Refusal(Duration.between(now, f.lockedUntil()), true));
        }
        if (f.count() < policy.freeAttempts()) {
            return Optional.empty();
        }
        Instant until = f.last().plus(delay(f.count()));
        return now.isBefore(until) ? Optional.of(new Refusal(Duration.between(now, until), false)) : Optional.empty();
    }

    /** The wait after {@code count} failures in a row: the base delay doubled for each failure past the free ones. */
    Duration delay(int count) {
        int doublings = Math.min(30, Math.max(0, count - policy.freeAttempts()));
        Duration d = policy.baseDelay().multipliedBy(1L << doublings);
        return d.compareTo(policy.maxDelay()) > 0 ? policy.maxDelay() : d;
    }

    /** Counts a failed attempt; returns whether it locked the account. */
    public boolean failed(String email, String ip) {
        Instant now = clock.instant();
        failures.merge(address(ip), new Failures(1, now, null), (old, one) -> new Failures(old.count() + 1, now, null));
        Failures f = failures.merge(account(email), new Failures(1, now, null), (old, one) -> {
            int count = old.count() + 1;
            return new Failures(count, now, count % policy.lockoutAfter() == 0 ? now.plus(policy.lockout()) : old.lockedUntil());
        });
        return f.lockedUntil() != null && f.lockedUntil().equals(now.plus(policy.lockout()));
    }

    /** A success clears the account's and the address's failures. */
    public void succeeded(String email, String ip) {
        failures.remove(account(email));
        failures.remove(address(ip));
    }
}
