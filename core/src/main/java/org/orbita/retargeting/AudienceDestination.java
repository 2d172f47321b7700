package org.orbita.retargeting;

import java.util.List;

/**
 * An advertising platform's audience a segment is kept in: members added and removed by their
 * hashed identifiers, in batches the platform takes. Each connector speaks its platform's API.
 */
public interface AudienceDestination {

    /** One person as the platform matches them: SHA-256 of the normalised email and phone (either may be null). */
    record Member(String profileId, String email, String phone) {}

    /** What a platform answered that was not a success; {@code retry}: worth trying again later (a limit, an outage). */
    final class Refused extends RuntimeException {
        private final boolean retry;

        public Refused(String message, boolean retry) {
            super(message, null, false, false);
            this.retry = retry;
        }

        public boolean retry() {
            return retry;
        }
    }

    /** The hashed identifiers of a person as this platform takes them, or null when it has none it can match. */
    Member member(String profileId, Object email, Object phone);

    /** A person's SHA-256 identifiers: the email normalised, the phone as E.164 digits ({@code withPlus}: with its {@code +}); null for none. */
    static Member hashed(String profileId, Object email, Object phone, boolean withPlus) {
        String e = Identifiers.sha256(Identifiers.email(email));
        String p = Identifiers.sha256(withPlus ? Identifiers.phoneE164(phone) : Identifiers.phoneDigits(phone));
        return e == null && p == null ? null : new Member(profileId, e, p);
    }

    /** How many members one call takes at most. */
    int batch();

    /** The fewest matched people the platform serves ads to (a sync below it is warned about). */
    int minimumSize();

    /** Adds members; the id of the platform's audience when this call made it (else null). */
    String add(List<Member> members);

    void remove(List<Member> members);

    /** After a sync's calls: anything the platform needs to apply them (a job to run); returns its state for the run's record. */
    default String finish() {
        return null;
    }

    /**
     * A platform that takes an audience only as a whole (VK Ads' lists made from a file): its
     * {@code add} and {@code remove} send nothing; after a sync with changes it gets every member.
     */
    interface WholeList extends AudienceDestination {

        /** Uploads every member as the audience, replacing the one uploaded before; the new audience's id. */
        String replace(java.util.Iterator<Member> members);
    }
}
