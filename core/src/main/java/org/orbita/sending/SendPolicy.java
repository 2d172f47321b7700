package org.orbita.sending;

import java.time.Instant;
import java.util.List;
import org.orbita.profiles.Profile;
import org.orbita.profiles.Subscription;

/**
 * One send rule — a frequency cap, quiet hours, local time, a subscription needed, a
 * suppression — asked of one profile in one channel, no earlier than a moment.
 */
@FunctionalInterface
public interface SendPolicy {

    Eligibility check(Profile profile, SendChannel channel, Instant from);

    /**
     * The rules in order: the first that skips decides; each hold pushes the moment later (the
     * reason is the hold that set it); the address comes from the rule that allows with one.
     */
    static Eligibility decide(List<SendPolicy> rules, Profile profile, SendChannel channel, Instant now) {
        Instant from = now;
        String why = null;
        Subscription target = null;
        for (SendPolicy rule : rules) {
            switch (rule.check(profile, channel, from)) {
                case Eligibility.Skipped skipped -> {
                    return skipped;
                }
                case Eligibility.Held held -> {
                    if (held.until().isAfter(from)) {
                        from = held.until();
                        why = held.reason();
                    }
                }
                case Eligibility.Allowed allowed -> {
                    if (allowed.target() != null) {
                        target = allowed.target();
                    }
                }
            }
        }
        return from.isAfter(now) ? new Eligibility.Held(from, why) : new Eligibility.Allowed(target);
    }
}
