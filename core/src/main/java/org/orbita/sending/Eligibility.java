package org.orbita.sending;

import java.time.Instant;
import org.orbita.profiles.Subscription;

/** What the send rules say of one profile in one channel: send (to this address), skip (why), or hold until a moment (why). */
public sealed interface Eligibility {

    /** Send now; {@code target} is the address (none for channels that need no subscription). */
    record Allowed(Subscription target) implements Eligibility {}

    /** Never sent in this run, for {@code reason}. */
    record Skipped(String reason) implements Eligibility {}

    /** Not before {@code until}; {@code reason} says why, as the ledger shows it (the moment follows it). */
    record Held(Instant until, String reason) implements Eligibility {}

    Allowed ALLOWED = new Allowed(null);
}
