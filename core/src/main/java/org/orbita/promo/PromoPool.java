package org.orbita.promo;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A pool of promo codes as a settings document. {@code personal}: each profile gets a code of its
 * own from the pool's codes ({@link PromoStore}); {@code universal}: everyone gets {@code code}.
 * Codes come from a {@link Generator pattern}, files, or a {@link Source service} that refills the
 * pool below a mark. Outside {@code validFrom}–{@code validUntil} nothing is issued or redeemed (a
 * message that needs a code is not sent then). Below {@code alertBelow} available codes the pool
 * is low: shown, and told once to {@code alertEmails}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromoPool(String id, String workspaceId, String name, String kind, String code, Generator generator, Instant validFrom,
                        Instant validUntil, Integer alertBelow, String alertEmails, Source source, Refill lastRefill, Instant lowSince,
                        String secret, Instant created, Instant updated) {

    public static final String PERSONAL = "personal";
    public static final String UNIVERSAL = "universal";

    /** Codes made by {@code pattern} ({@link CodePattern}); {@code made}: how many so far (the next one's number). */
    public record Generator(String pattern, boolean checkDigit, long made) {}

    /**
     * A service the pool pulls codes from: {@code GET url?pool=…&count=batch} (with {@code token} as
     * a bearer token, kept write-only) answering {@code {"codes": [...]}}, when fewer than
     * {@code refillBelow} codes are available.
     */
    public record Source(String url, int batch, int refillBelow, String token) {}

    /** The last pull from the source: when, how many codes it added, and why it failed if it did. */
    public record Refill(Instant at, int added, String error) {}

    public boolean personal() {
        return !UNIVERSAL.equals(kind);
    }

    /** Whether codes may be issued and redeemed at {@code at}. */
    public boolean validAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }

    PromoPool withGenerator(Generator g, Instant at) {
        return new PromoPool(id, workspaceId, name, kind, code, g, validFrom, validUntil, alertBelow, alertEmails, source, lastRefill, lowSince,
                secret, created, at);
    }

    PromoPool withRefill(Refill r) {
        return new PromoPool(id, workspaceId, name, kind, code, generator, validFrom, validUntil, alertBelow, alertEmails, source, r, lowSince,
                secret, created, updated);
    }

    PromoPool withLowSince(Instant at) {
        return new PromoPool(id, workspaceId, name, kind, code, generator, validFrom, validUntil, alertBelow, alertEmails, source, lastRefill, at,
                secret, created, updated);
    }
}
