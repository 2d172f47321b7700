package org.orbita.app.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.orbita.access.Totp;
import org.orbita.common.InvalidInputException;
import org.springframework.stereotype.Service;

/**
 * A user's second factor: turned on by typing a code from the new secret (then ten recovery
 * codes are shown once), turned off by a code; at sign-in a code (taken once, within a step
 * either side of now) or an unused recovery code completes what the password began. Failures
 * count with the sign-in's own throttling and are audited.
 */
@Service
public class TwoFactorSignIn {

    public static final int RECOVERY_CODES = 10;
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Accounts accounts;
    private final SignInGuard guard;
    private final SignInAudit audit;
    private final Clock clock;

    public TwoFactorSignIn(Accounts accounts, SignInGuard guard, SignInAudit audit, Clock clock) {
        this.accounts = accounts;
        this.guard = guard;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new secret kept as not yet on (a secret started earlier and never confirmed is replaced). */
    public String start(UserAccount user) {
        if (user.twoFactorOn()) {
            throw new InvalidInputException("twoFactor", null, "is already on: turn it off first");
        }
        String secret = Totp.newSecret();
        accounts.saveUser(user.withTwoFactor(new UserAccount.TwoFactor(secret, false, 0, List.of())));
        return secret;
    }

    /** Turns the factor on with a code from the started secret; returns the recovery codes, the only time they are readable. */
    public List<String> confirm(UserAccount user, String code) {
        UserAccount.TwoFactor started = user.twoFactor();
        if (started == null || started.enabled()) {
            throw new InvalidInputException("code", null, "start setting up two-factor sign-in first");
        }
        OptionalLong step = Totp.verify(started.secret(), code, clock.instant(), started.lastStep());
        if (step.isEmpty()) {
            throw new InvalidInputException("code", null, "is not the code your app shows now: check the phone's clock, then type the newest code");
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String c = recoveryCode();
            codes.add(c);
            hashes.add(Accounts.sha256(c));
        }
        accounts.saveUser(user.withTwoFactor(new UserAccount.TwoFactor(started.secret(), true, step.getAsLong(), hashes)));
        return codes;
    }

    /** Turns the factor off; it takes a current code (or a recovery code). */
    public void disable(UserAccount user, String code) {
        if (!user.twoFactorOn()) {
            throw new InvalidInputException("twoFactor", null, "is not on");
        }
        if (!check(user, code)) {
            throw new InvalidInputException("code", null, "is not a current code or an unused recovery code");
        }
        accounts.saveUser(accounts.user(user.id()).orElseThrow().withTwoFactor(null));
    }

    /**
     * The second step of a sign-in from {@code address}: true when the code is right (it is then
     * used up); a wrong one counts as a failed sign-in. A throttled attempt is refused unchecked.
     */
    public boolean verifyAtSignIn(UserAccount user, String code, String address) {
        if (guard.refusal(user.email(), address).isPresent()) {
            audit.record(user.email(), address, "throttled");
            return false;
        }
        if (check(user, code)) {
            guard.succeeded(user.email(), address);
            audit.record(user.email(), address, "second-factor");
            return true;
        }
        boolean locked = guard.failed(user.email(), address);
        audit.record(user.email(), address, locked ? "lockout" : "second-factor-failed");
        return false;
    }

    /** A current code (then its step is used up) or an unused recovery code (then it is gone). */
    private boolean check(UserAccount user, String code) {
        UserAccount.TwoFactor f = user.twoFactor();
        if (f == null || code == null) {
            return false;
        }
        OptionalLong step = Totp.verify(f.secret(), code, clock.instant(), f.lastStep());
        if (step.isPresent()) {
            accounts.saveUser(user.withTwoFactor(new UserAccount.TwoFactor(f.secret(), f.enabled(), step.getAsLong(), f.recoveryHashes())));
            return true;
        }
        String hash = Accounts.sha256(code.strip().toLowerCase(Locale.ROOT));
        if (f.enabled() && f.recoveryHashes().contains(hash)) {
            List<String> left = new ArrayList<>(f.recoveryHashes());
            left.remove(hash);
            accounts.saveUser(user.withTwoFactor(new UserAccount.TwoFactor(f.secret(), true, f.lastStep(), left)));
            return true;
        }
        return false;
    }

    private static String recoveryCode() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                s.append('-');
            }
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
