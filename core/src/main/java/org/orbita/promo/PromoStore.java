package org.orbita.promo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.orbita.common.InvalidInputException;

/**
 * The codes of promo pools, one row per code: made available (generated, imported, pulled),
 * issued once under a key to a profile, then redeemed, expired, or given back (detached). A
 * pool's metadata is a settings document ({@link PromoPool}); the codes, up to millions per pool,
 * live here. Every state change is a compare-and-set, so two nodes never hand out or redeem one
 * code twice.
 */
public interface PromoStore {

    /** Where a code stands. */
    enum State {
        AVAILABLE, ISSUED, REDEEMED, EXPIRED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static State of(String id) {
            for (State s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            throw new InvalidInputException("state", id, "one of available, issued, redeemed, expired");
        }
    }

    /**
     * One code. {@code seq} orders a pool's codes (the order they are handed out in); {@code key}
     * is what it was issued under (a send's or a journey node's key), {@code order} what redeemed it.
     */
    record Code(String workspaceId, String poolId, String code, long seq, State state, String databaseId, String profileId, String key,
                Instant issuedAt, Instant redeemedAt, String order) {

        public Code with(State to, String databaseId, String profileId, String key, Instant issuedAt, Instant redeemedAt, String order) {
            return new Code(workspaceId, poolId, code, seq, to, databaseId, profileId, key, issuedAt, redeemedAt, order);
        }
    }

    /** A code handed out under a claim's key; {@code fresh} when this call issued it (not a call before). */
    record Issue(Code code, boolean fresh) {}

    /** A request for one code: the key it is issued under (the same key gets the same code) and the profile it goes to. */
    record Claim(String key, String databaseId, String profileId) {}

    /**
     * Adds codes to a pool, numbered after its last one, in order; a code the pool has (or had)
     * already is not added. Returns the indexes in {@code codes} of those refused as duplicates.
     */
    List<Integer> add(String workspaceId, String poolId, List<String> codes);

    /**
     * For each claim the code issued under its key before, else the pool's next available code,
     * now issued to the claim's profile at {@code at}. Claims the pool has no code left for are
     * absent from the answer (by key).
     */
    Map<String, Issue> issue(String workspaceId, String poolId, List<Claim> claims, Instant at);

    Optional<Code> find(String workspaceId, String poolId, String code);

    /**
     * Replaces {@code before} with {@code after} (same pool and code) if the stored code is still
     * as {@code before} says (state, profile and key): the change, or empty when it was changed meanwhile.
     */
    Optional<Code> change(Code before, Code after);

    /** A profile's codes in every pool of a workspace, latest issued first. */
    List<Code> ofProfile(String workspaceId, String databaseId, String profileId, int limit);

    /** How many codes of a pool are in each state (states without codes are absent). */
    Map<State, Long> counts(String workspaceId, String poolId);

    /** A pool's codes after {@code afterSeq} in order, of one state or all (null); for pages and exports. */
    List<Code> page(String workspaceId, String poolId, State state, long afterSeq, int limit);

    /** Forgets a deleted pool's codes. */
    void deletePool(String workspaceId, String poolId);
}
